package io.durablejobs.core.type;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The job types this process knows, found through {@link ServiceLoader} or registered explicitly. */
public final class JobTypeRegistry {
    /** Lower-case dotted words: safe as a routing key, a queue-name suffix and a Redis key part. */
    public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$");
    public static final int MAX_NAME_LENGTH = 64;

    private final Map<String, JobType> types;

    private JobTypeRegistry(Map<String, JobType> types) {
        this.types = Collections.unmodifiableMap(types);
    }

    public static JobTypeRegistry of(JobType... types) {
        Map<String, JobType> map = new LinkedHashMap<>();
        for (JobType t : types) {
            register(map, t);
        }
        return new JobTypeRegistry(map);
    }

    /**
     * Every type on the classpath, in a stable (name) order. A type's full implementation may extend its
     * light spec class (name, validation, retry policy; what the submit function carries without the
     * handler's libraries); where both are registered under one name, the full one is kept.
     */
    public static JobTypeRegistry fromServiceLoader() {
        Map<String, JobType> map = new TreeMap<>();
        for (JobType t : ServiceLoader.load(JobType.class)) {
            register(map, t);
        }
        return new JobTypeRegistry(new LinkedHashMap<>(map));
    }

    private static void register(Map<String, JobType> map, JobType type) {
        String name = type.name();
        if (name == null || name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("job type name must match " + NAME + ": " + name);
        }
        JobType present = map.get(name);
        if (present == null) {
            map.put(name, type);
            return;
        }
        Class<?> had = present.getClass();
        Class<?> got = type.getClass();
        if (had != got && had.isAssignableFrom(got)) {
            map.put(name, type); // the full type refines the spec registered before it
        } else if (had == got || !got.isAssignableFrom(had)) {
            throw new IllegalArgumentException("job type registered twice: " + name);
        }
    }

    public Optional<JobType> find(String name) {
        return Optional.ofNullable(name == null ? null : types.get(name));
    }

    public Collection<String> names() {
        return types.keySet();
    }

    public Collection<JobType> all() {
        return types.values();
    }
}
