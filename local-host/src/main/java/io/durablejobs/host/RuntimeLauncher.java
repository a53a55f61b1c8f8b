package io.durablejobs.host;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import java.io.IOException;
import java.util.Arrays;

/**
 * The main class of an environment in its own JVM: {@code RuntimeLauncher <runtime main class> <handler>}
 * starts a watchdog, then hands over to Lambda's runtime interface client ({@link AWSLambda#main}, named on
 * the command line so tools that look for it there, such as the chaos run, still find it) unchanged. The host holds this JVM's stdin open for as long as
 * it lives; end of stdin means the host is gone (stopped, crashed, SIGKILLed) and this JVM halts at once.
 * Without it an environment whose host died would stay behind, still running whatever work its handler
 * had started (threads that do not stop, non-daemon threads that keep the JVM alive), as Lambda never
 * leaves a sandbox running without its invoke.
 */
public final class RuntimeLauncher {
    private RuntimeLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the host writes nothing; keep reading until the pipe closes
                }
            } catch (IOException e) {
                // a broken pipe means the same: the host is gone
            }
            Runtime.getRuntime().halt(137);
        }, "host-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        if (args.length < 1 || !args[0].equals(AWSLambda.class.getName())) {
            throw new IllegalArgumentException("usage: RuntimeLauncher " + AWSLambda.class.getName() + " <handler>");
        }
        AWSLambda.main(Arrays.copyOfRange(args, 1, args.length));
    }
}
