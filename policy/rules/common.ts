/** Helpers shared by the rules: facts from stack args, messages that name the resource. */
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { extractFacts, label, type Facts, type Ref } from "../facts";
import { readSettings, type PackSettings } from "../config";
import { formatPrefix, familyBits } from "../../components/plan/addr";
import { prefix } from "../util";

export function stackFacts(args: StackValidationArgs): { facts: Facts; settings: PackSettings } {
    const settings = readSettings(args);
    return { facts: extractFacts(args.resources, settings.ipFamily), settings };
}

/** Reports against one resource: the message starts with its kind and name. */
export function reportOn(report: ReportViolation, ref: Ref, message: string): void {
    report(`${label(ref)}: ${message}`, ref.urn);
}

/** "10.0.0.0/8" normalised, or the text as written when it does not parse. */
export function showPrefix(text: string): string {
    const p = prefix(text);
    return p ? formatPrefix(p) : text;
}

export const hostBits = (text: string): number | undefined => {
    const p = prefix(text);
    return p ? familyBits(p.family) - p.length : undefined;
};

export { isPrivateAsn, isValidAsn } from "../../components/plan/asn";
