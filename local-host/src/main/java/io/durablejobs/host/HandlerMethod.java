package io.durablejobs.host;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A handler named {@code class::method}, resolved the way the managed runtime resolves it: a public
 * no-arg constructor, a public non-bridge method of that name taking (event[, Context]) or
 * (InputStream, OutputStream[, Context]), and the runtime's serializers for the declared event and
 * result types. JSON in, JSON out, as on Lambda.
 */
public final class HandlerMethod {
    private final Constructor<?> constructor;
    private final Method method;
    private final boolean stream;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;

    private HandlerMethod(Constructor<?> constructor, Method method) {
        this.constructor = constructor;
        this.method = method;
        Class<?>[] params = method.getParameterTypes();
        this.stream = params.length >= 2 && params[0] == InputStream.class && params[1] == OutputStream.class;
        ClassLoader loader = constructor.getDeclaringClass().getClassLoader();
        this.input = stream || params.length == 0 ? null : RuntimeSerializers.forType(method.getGenericParameterTypes()[0], loader);
        Type result = method.getGenericReturnType();
        this.output = stream || result == void.class || result == Void.class ? null : RuntimeSerializers.forType(result, loader);
    }

    public static HandlerMethod resolve(String className, String methodName, ClassLoader loader) {
        Class<?> cls;
        try {
            cls = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("handler class not on the classpath: " + className, e);
        }
        Constructor<?> ctor;
        try {
            ctor = cls.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(className + " needs a public no-arg constructor (Lambda creates it that way)", e);
        }
        if (Modifier.isAbstract(cls.getModifiers())) {
            throw new IllegalArgumentException(className + " is abstract");
        }
        Method m = Arrays.stream(cls.getMethods())
                .filter(x -> x.getName().equals(methodName) && !x.isBridge() && !x.isSynthetic() && accepts(x))
                // The runtime prefers the most specific: more parameters (with Context) first.
                .max(Comparator.comparingInt(Method::getParameterCount))
                .orElseThrow(() -> new IllegalArgumentException(
                        className + " has no public method " + methodName + "(event[, Context])"));
        return new HandlerMethod(ctor, m);
    }

    private static boolean accepts(Method m) {
        Class<?>[] p = m.getParameterTypes();
        return switch (p.length) {
            case 0 -> true;
            case 1 -> true;
            case 2 -> p[1] == Context.class || (p[0] == InputStream.class && p[1] == OutputStream.class);
            case 3 -> p[0] == InputStream.class && p[1] == OutputStream.class && p[2] == Context.class;
            default -> false;
        };
    }

    public String describe() {
        return method.getDeclaringClass().getName() + "::" + method.getName();
    }

    /** A new handler instance; the caller runs this inside {@code Env.with} on the environment's thread. */
    public Object newInstance() throws Exception {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
    }

    /** Deserializes the event, calls the handler, serializes its result ({@code null} JSON for void). */
    public byte[] invoke(Object instance, byte[] eventJson, Context context) throws Exception {
        try {
            if (stream) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Object[] args = method.getParameterCount() == 3
                        ? new Object[] {new ByteArrayInputStream(eventJson), out, context}
                        : new Object[] {new ByteArrayInputStream(eventJson), out};
                method.invoke(instance, args);
                return out.toByteArray();
            }
            Object event = input == null ? null : input.fromJson(new ByteArrayInputStream(eventJson));
            Object[] args = switch (method.getParameterCount()) {
                case 0 -> new Object[0];
                case 1 -> new Object[] {event};
                default -> new Object[] {event, context};
            };
            Object result = method.invoke(instance, args);
            if (output == null || result == null) {
                return "null".getBytes(StandardCharsets.UTF_8);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            output.toJson(result, out);
            return out.toByteArray();
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
    }

    private static Exception unwrap(InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception ex) {
            return ex;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return e;
    }
}
