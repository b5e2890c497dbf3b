import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("ecs-role-guard", { policies });
