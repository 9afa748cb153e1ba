package io.udapi.store;

import io.udapi.config.UdapiConfig;
import io.udapi.store.es.ElasticsearchStore;
import io.udapi.store.file.FileStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.elasticsearch.client.RestClient;
import org.jboss.logging.Logger;

/**
 * The one place that chooses the backend, from {@code udapi.store}. The Elasticsearch client is looked
 * up only when it is chosen, so the file mode never creates it and never touches a cluster.
 */
@Singleton
public class StoreProducer {

    private static final Logger LOG = Logger.getLogger(StoreProducer.class);

    @Produces
    @ApplicationScoped
    Store store(UdapiConfig config, Instance<RestClient> elasticsearch) {
        return switch (config.store()) {
            case file -> {
                LOG.infof("store: file, directory %s", config.fileStore().dir().toAbsolutePath());
                yield new FileStore(config.fileStore().dir(), StoreJson.mapper());
            }
            case elasticsearch -> {
                String prefix = config.elasticsearch().indexPrefix();
                LOG.infof("store: elasticsearch, indices %s*", prefix);
                yield new ElasticsearchStore(elasticsearch.get(), prefix);
            }
        };
    }
}
