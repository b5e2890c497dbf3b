/** A progress line on stderr (`analysed 1200/5000 resources`), only on a terminal, only once a run takes a while. */
export class Progress {
    private readonly startedAt = Date.now();
    private lastDrawn = 0;
    private shown = false;

    constructor(
        private readonly stream: NodeJS.WriteStream = process.stderr,
        private readonly enabled: boolean = stream.isTTY === true,
        private readonly delayMs = 300,
    ) {}

    update(done: number, total: number): void {
        if (!this.enabled) return;
        const now = Date.now();
        if (now - this.startedAt < this.delayMs || (now - this.lastDrawn < 100 && done < total)) return;
        this.lastDrawn = now;
        this.shown = true;
        // Once every resource is through Analyze, the stack policies run over all of them at once.
        const stage = done >= total ? ", running stack policies" : "";
        this.stream.write(`\r\x1b[Kanalysed ${done}/${total} resources${stage}`);
    }

    /** Clears the line, so that what follows starts on a clean one. */
    done(): void {
        if (this.shown) this.stream.write("\r\x1b[K");
        this.shown = false;
    }
}
