/**
 * The secret values this process has seen (BGP password, kubeconfig), for the one place where
 * redaction cannot be structural: a crash's message and stack, whose text may quote a rendered
 * configuration line (vtysh echoes the line it refuses). Everything the commands write on
 * purpose is redacted where the value is placed (cli/artifacts.ts), never by matching text.
 */
import { SECRET_KEYS } from "../components/config/stackfile";

export const REDACTED = "[secret]";

const known = new Set<string>();

/** Remembers a value as secret for crash messages. */
export function registerSecret(value: string | undefined): void {
    if (value !== undefined && value !== "") known.add(value);
}

/** The secrets the environment supplies (CBF_BGP_PASSWORD, CBF_KUBECONFIG). */
export function registerEnvSecrets(env: NodeJS.ProcessEnv = process.env): void {
    for (const v of Object.values(SECRET_KEYS)) registerSecret(env[v]);
}

/**
 * Every occurrence of every known secret (longest first, so one never hides inside another) and
 * of each of its lines (a kubeconfig is printed line by line) replaced by REDACTED. Only for
 * crash text: a short password also hides ordinary words there, which is the safe direction.
 */
export function redactKnownSecrets(text: string, secrets: Iterable<string> = known): string {
    const needles = new Set<string>();
    for (const s of secrets) {
        needles.add(s);
        for (const line of s.split("\n")) if (line.trim().length >= 24) needles.add(line);
    }
    let out = text;
    for (const s of [...needles].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    return out;
}

/** The text a crash prints: the error's stack (or message), secrets redacted. */
export function crashText(e: unknown): string {
    const raw = e instanceof Error ? e.stack ?? e.message : String(e);
    return redactKnownSecrets(raw);
}
