package io.durablejobs.core.blob;

import java.net.URI;
import java.util.Map;

class InMemoryBlobStoreTest extends BlobStoreContract {
    private final InMemoryBlobStore store = new InMemoryBlobStore();

    @Override
    protected BlobStore store() {
        return store;
    }

    @Override
    protected byte[] fetch(URI url, String tenant) {
        var req = new io.durablejobs.core.api.ApiRequest("GET", url.getPath(), Map.of(), Map.of(), null, "r");
        return new BlobRoutes(store).handle(req, tenant).orElseThrow().body();
    }
}
