package io.durablejobs.core.dlq;

import java.util.Map;

/**
 * Builds one kind of {@link DeadLetterStore} from the environment; registered in
 * {@code META-INF/services/io.durablejobs.core.dlq.DeadLetterStoreProvider} by the adapter modules.
 */
public interface DeadLetterStoreProvider {

    /** The value of {@code JOBS_DEAD_LETTER_STORE} this provider answers to. */
    String kind();

    /** @throws io.durablejobs.core.config.ConfigException naming every missing or bad setting */
    DeadLetterStore open(Map<String, String> env);
}
