package io.streamrec.job;

import io.streamrec.config.ConfigKey;
import io.streamrec.config.StreamrecConfig;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check of the actor-weights topic, before the job is submitted. A full weights record is megabytes (d = 100,
 * thousands of items) while a topic created with the broker's defaults accepts 1 MB: the first full publication then
 * fails the job with {@code RecordTooLargeException} and every restart fails again. So: a missing topic is created
 * compacted with {@code max.message.bytes} = {@code publish.max.bytes}; an existing one whose limit is smaller stops
 * the submission with the command that fixes it. A broker that does not answer within the timeout is reported and left
 * to the job's own connection handling (the check never hangs the submission).
 */
public final class WeightsTopicCheck {
    private static final Logger LOG = LoggerFactory.getLogger(WeightsTopicCheck.class);
    private static final long TIMEOUT_SECONDS = 30;

    private WeightsTopicCheck() {}

    /** What the check found. */
    public enum Outcome {
        CREATED,
        SUFFICIENT,
        UNREACHABLE
    }

    public static Outcome ensure(StreamrecConfig config) {
        return ensure(config, TIMEOUT_SECONDS);
    }

    static Outcome ensure(StreamrecConfig config, long timeoutSeconds) {
        String topic = config.get(ConfigKey.TOPIC_ACTOR_WEIGHTS);
        long needed = Long.parseLong(config.get(ConfigKey.PUBLISH_MAX_BYTES));
        Properties props = config.kafkaProperties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(ConfigKey.BOOTSTRAP_SERVERS));
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeoutSeconds * 1000));
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeoutSeconds * 1000));
        try (Admin admin = Admin.create(props)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config existing;
            try {
                existing = admin.describeConfigs(List.of(resource))
                        .all()
                        .get(timeoutSeconds, TimeUnit.SECONDS)
                        .get(resource);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) throw e;
                existing = null;
            }
            if (existing == null) {
                NewTopic created = new NewTopic(topic, 1, (short) -1)
                        .configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                Long.toString(needed)));
                try {
                    admin.createTopics(List.of(created)).all().get(timeoutSeconds, TimeUnit.SECONDS);
                    LOG.info("created the actor-weights topic {} (compacted, max.message.bytes {})", topic, needed);
                    return Outcome.CREATED;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                    return ensure(config, timeoutSeconds); // created meanwhile: check its limit
                }
            }
            ConfigEntry limit = existing.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            long allowed = limit == null ? Long.MAX_VALUE : Long.parseLong(limit.value());
            if (allowed < needed) {
                throw new IllegalStateException(String.format(
                        "the actor-weights topic '%s' accepts records of at most %d bytes (max.message.bytes) but a "
                                + "full weights record may take publish.max.bytes = %d: the first full publication "
                                + "would fail the job. Raise the topic's limit, e.g. kafka-configs.sh --bootstrap-server "
                                + "%s --alter --entity-type topics --entity-name %s --add-config max.message.bytes=%d "
                                + "(the brokers' replica.fetch.max.bytes must allow it too), or lower publish.max.bytes",
                        topic, allowed, needed, config.get(ConfigKey.BOOTSTRAP_SERVERS), topic, needed));
            }
            return Outcome.SUFFICIENT;
        } catch (TimeoutException e) {
            LOG.warn(
                    "could not check the actor-weights topic {}: no answer from the brokers in {} s",
                    topic,
                    timeoutSeconds);
            return Outcome.UNREACHABLE;
        } catch (ExecutionException e) {
            LOG.warn(
                    "could not check the actor-weights topic {}: {}",
                    topic,
                    e.getCause().toString());
            return Outcome.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.UNREACHABLE;
        }
    }
}
