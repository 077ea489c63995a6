package io.bptemporal.devstack;

import io.bptemporal.contracts.naming.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the platform's Kafka topics exist with at least their partitions, idempotently: a missing
 * topic is created (replication factor: the broker's default), an existing one is left alone unless
 * it has fewer partitions, which are then added (Kafka cannot remove partitions; more than the spec
 * is only logged). Returns once every partition of every topic has a leader, so a producer started
 * next does not wait for metadata.
 */
public final class TopicRegistrar {
  private static final Logger log = LoggerFactory.getLogger(TopicRegistrar.class);

  private final Admin admin;

  public TopicRegistrar(Admin admin) {
    this.admin = admin;
  }

  /**
   * An admin client of the dev stack: plaintext, short timeouts, so that a broker that does not
   * answer fails a step within seconds. The caller closes it.
   */
  public static Admin admin(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "bp-devstack");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    return Admin.create(props);
  }

  /** Creates or widens each topic, then waits until all their partitions have a leader. */
  public void ensure(List<TopicSpec> topics, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    try {
      Set<String> existing =
          admin.listTopics().names().get(remaining(deadline), TimeUnit.MILLISECONDS);
      List<NewTopic> missing =
          topics.stream()
              .filter(t -> !existing.contains(t.name()))
              .map(t -> new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty()))
              .toList();
      if (!missing.isEmpty()) {
        var created = admin.createTopics(missing).values();
        for (var entry : created.entrySet()) {
          try {
            entry.getValue().get(remaining(deadline), TimeUnit.MILLISECONDS);
            log.info("created topic {}", entry.getKey());
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              throw e;
            }
            // Created by someone else meanwhile: fine, its partitions are checked below.
          }
        }
      }
      widen(topics, describe(topics, deadline), deadline);
      awaitLeaders(topics, deadline);
    } catch (ExecutionException e) {
      throw new DevStackException("cannot create the platform topics: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new DevStackException(
          "the platform topics were not created within " + timeout + ": the broker did not answer",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while creating the platform topics", e);
    }
  }

  private void widen(
      List<TopicSpec> topics, Map<String, TopicDescription> described, Instant deadline)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, NewPartitions> increases = new HashMap<>();
    for (TopicSpec t : topics) {
      int actual = described.get(t.name()).partitions().size();
      if (actual < t.partitions()) {
        increases.put(t.name(), NewPartitions.increaseTo(t.partitions()));
        log.info("topic {}: {} -> {} partitions", t.name(), actual, t.partitions());
      } else if (actual > t.partitions()) {
        log.warn(
            "topic {} has {} partitions, more than the {} of the platform's spec; left as is",
            t.name(),
            actual,
            t.partitions());
      }
    }
    if (!increases.isEmpty()) {
      admin.createPartitions(increases).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
    }
  }

  private void awaitLeaders(List<TopicSpec> topics, Instant deadline)
      throws ExecutionException, InterruptedException, TimeoutException {
    List<String> waiting = new ArrayList<>();
    while (true) {
      waiting.clear();
      for (TopicDescription d : describe(topics, deadline).values()) {
        d.partitions().stream()
            .filter(p -> p.leader() == null || p.leader().isEmpty())
            .forEach(p -> waiting.add(d.name() + "-" + p.partition()));
      }
      if (waiting.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new DevStackException("partitions without a leader after the deadline: " + waiting);
      }
      ManagedProcess.sleep(Duration.ofMillis(100));
    }
  }

  /** Describes the topics; a topic just created may be unknown to the broker for a moment. */
  private Map<String, TopicDescription> describe(List<TopicSpec> topics, Instant deadline)
      throws ExecutionException, InterruptedException, TimeoutException {
    while (true) {
      try {
        return admin
            .describeTopics(topics.stream().map(TopicSpec::name).collect(Collectors.toList()))
            .allTopicNames()
            .get(remaining(deadline), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || Instant.now().isAfter(deadline)) {
          throw e;
        }
        ManagedProcess.sleep(Duration.ofMillis(100));
      }
    }
  }

  private static long remaining(Instant deadline) {
    return Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
  }
}
