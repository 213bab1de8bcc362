/** Offline-plan timings join the benchmark once `npm run plan` exists (issue: offline plan). */
export async function benchPlanCommand(): Promise<boolean> {
    return false;
}
