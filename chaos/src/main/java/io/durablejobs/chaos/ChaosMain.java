package io.durablejobs.chaos;

/** {@code ./dev chaos [--jobs N] [...]}: one run; exit 0 when every invariant holds, 1 when one fails, 2 on a bad start. */
public final class ChaosMain {
    private ChaosMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            ChaosReport r = ChaosRun.run(ChaosSettings.parse(args), 20);
            code = r.passed() ? 0 : 1;
        } catch (Exception e) {
            System.err.println("[chaos] could not run: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }
}
