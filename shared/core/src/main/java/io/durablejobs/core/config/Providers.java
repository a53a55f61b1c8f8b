package io.durablejobs.core.config;

import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Picks the implementation a setting names among those registered with {@link ServiceLoader} (the blob
 * store, the dead-letter store, the metrics pusher): adapter modules register providers, and a function
 * carries only the modules it needs, so the kind a setting asks for may be missing from its classpath.
 */
public final class Providers {
    private Providers() {
    }

    /**
     * The provider whose kind is {@code kind}.
     *
     * @param setting the setting that named it, for the message
     * @param missing what to add when it is absent (the module that carries it)
     * @throws ConfigException naming the setting, the kinds present and {@code missing} when none answers
     */
    public static <P> P find(Class<P> type, ClassLoader loader, Function<P, String> kindOf, String setting, String kind, String missing) {
        TreeSet<String> known = new TreeSet<>();
        for (P p : ServiceLoader.load(type, loader)) {
            String k = kindOf.apply(p);
            if (k.equals(kind)) {
                return p;
            }
            known.add(k);
        }
        throw new ConfigException(List.of(setting + "=" + kind + ": not on this function's classpath (available: "
                + String.join(", ", known) + "; " + missing + ")"));
    }
}
