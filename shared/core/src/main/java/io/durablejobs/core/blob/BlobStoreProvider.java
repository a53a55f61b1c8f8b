package io.durablejobs.core.blob;

import java.util.Map;

/**
 * Builds one kind of {@link BlobStore} from the function's environment. Registered in
 * {@code META-INF/services/io.durablejobs.core.blob.BlobStoreProvider} by the adapter modules, so the core
 * and the job types choose a store by setting without depending on AWS or the file system adapter.
 */
public interface BlobStoreProvider {

    /** The value of {@code JOBS_BLOB_STORE} this provider answers to. */
    String kind();

    /**
     * Reads the store's own settings and builds it.
     *
     * @throws io.durablejobs.core.config.ConfigException naming every missing or bad setting
     */
    BlobStore open(Map<String, String> env);
}
