/** A configuration problem: which key, what value, which rule. */
export interface ConfigProblem {
    /** Config key path, e.g. `addressPlan.lbPools[1].cidr`. */
    path: string;
    value: unknown;
    rule: string;
}

function show(value: unknown): string {
    if (value === undefined) return "(unset)";
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblem(p: ConfigProblem): string {
    return `${p.path} = ${show(p.value)}: ${p.rule}`;
}

/** Thrown before any resource is registered; carries every problem found, not just the first. */
export class ConfigError extends Error {
    constructor(public readonly problems: ConfigProblem[]) {
        super(`invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
            problems.map((p) => `  - ${formatProblem(p)}`).join("\n"));
        this.name = "ConfigError";
    }
}

/** Collects problems while a validator walks the configuration. */
export class Problems {
    readonly list: ConfigProblem[] = [];
    add(path: string, value: unknown, rule: string): void {
        this.list.push({ path, value, rule });
    }
    get empty(): boolean {
        return this.list.length === 0;
    }
    throwIfAny(): void {
        if (!this.empty) throw new ConfigError(this.list);
    }
}
