package io.durablejobs.host;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.lang.reflect.Type;

/**
 * Picks the serializer the managed Java runtime picks (the runtime interface client's
 * {@code EventHandlerLoader.getSerializer}): a class on the runtime's supported-event list gets
 * {@link LambdaEventSerializers#serializerFor} (Jackson with AWS's mixins), anything else
 * {@code JacksonFactory.getInstance().getSerializer(type)}. {@code RabbitMQEvent} and
 * {@code APIGatewayV2HTTPEvent} are not on that list, so they go through plain {@link JacksonFactory}.
 */
public final class RuntimeSerializers {
    private RuntimeSerializers() {
    }

    @SuppressWarnings("unchecked")
    public static PojoSerializer<Object> forType(Type type, ClassLoader loader) {
        if (type instanceof Class<?> cls && LambdaEventSerializers.isLambdaSupportedEvent(cls.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(cls, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    public static <T> PojoSerializer<T> forClass(Class<T> cls) {
        @SuppressWarnings("unchecked")
        PojoSerializer<T> s = (PojoSerializer<T>) forType(cls, cls.getClassLoader());
        return s;
    }
}
