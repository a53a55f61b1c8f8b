package io.durablejobs.functions.dlq;

import io.durablejobs.lambda.DeadLetterFunction;

/** The DLQ consumer's Lambda handler (functions.json {@code dlq-consumer}, trigger: the dead queue). */
public final class DlqConsumerHandler extends DeadLetterFunction {
}
