package dev.switchboard.support;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.cloud.stream.config.ConsumerEndpointCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.kafka.inbound.KafkaMessageDrivenChannelAdapter;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaderMapper;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.switchboard.events.EventCodec;
import dev.switchboard.events.Topics;
import dev.switchboard.support.consumer.BatchHeaders;
import dev.switchboard.support.consumer.DeadLetters;
import dev.switchboard.support.consumer.EventProcessor;
import dev.switchboard.support.consumer.RawHeaderMapper;
import dev.switchboard.support.consumer.ConsumerBindingDefaults;
import dev.switchboard.support.consumer.TraceContext;
import dev.switchboard.support.database.TextArrays;
import dev.switchboard.support.outbox.OutboxProperties;
import dev.switchboard.support.outbox.OutboxRelay;
import dev.switchboard.support.outbox.OutboxWriter;
import dev.switchboard.support.topic.TopicProperties;

/**
 * The outbox, its relay and the idempotent event processor for a service with an R2DBC
 * database.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
		"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@EnableConfigurationProperties({ OutboxProperties.class, TopicProperties.class })
public class ServiceSupportAutoConfiguration {

	/**
	 * How every producer of the platform compresses its batches
	 * ({@code switchboard.kafka.compression}, Kafka's {@code compression.type}), as a
	 * {@code @Value} placeholder with its default.
	 */
	public static final String COMPRESSION = "${switchboard.kafka.compression:lz4}";

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Every connection sends {@code String[]} parameters in PostgreSQL's binary array
	 * format ({@link TextArrays}).
	 */
	@Bean
	ConnectionFactoryOptionsBuilderCustomizer binaryTextArrays() {
		return (options) -> options.option(PostgresqlConnectionFactoryProvider.EXTENSIONS, List.of(new TextArrays()));
	}

	@Bean
	@ConditionalOnMissingBean
	EventCodec eventCodec() {
		return new EventCodec();
	}

	@Bean
	OutboxWriter outboxWriter(DatabaseClient database, EventCodec codec, Clock clock) {
		return new OutboxWriter(database, codec, clock);
	}

	/**
	 * The outbox relays' (and dead letters') producer: idempotent, {@code acks=all},
	 * batches compressed as {@code switchboard.kafka.compression} says (the gateway's
	 * webhook producer reads it too).
	 */
	@Bean
	KafkaTemplate<String, byte[]> outboxKafkaTemplate(
			@Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers,
			@Value(COMPRESSION) String compression) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
				ProducerConfig.LINGER_MS_CONFIG, 2, ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
	}

	@Bean
	@ConditionalOnMissingBean
	KafkaAdmin kafkaAdmin(@Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
		KafkaAdmin admin = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
		admin.setFatalIfBrokerNotAvailable(false);
		return admin;
	}

	/**
	 * Every topic of the platform, created idempotently by whichever service starts
	 * first, so that producers and consumers agree on partitions. Topics that exist (as
	 * deploy/k8s/kafka-topics declares them) are left as they are.
	 */
	@Bean
	KafkaAdmin.NewTopics switchboardTopics(TopicProperties topics,
			@Value("${spring.application.name}") String applicationName) {
		return new KafkaAdmin.NewTopics(topics.newTopics(applicationName));
	}

	@Bean
	DeadLetters deadLetters(KafkaTemplate<String, byte[]> outboxKafkaTemplate,
			@Value("${spring.application.name}") String applicationName, OutboxProperties properties) {
		return new DeadLetters(outboxKafkaTemplate, Topics.deadLetters(applicationName), properties.sendTimeout());
	}

	/**
	 * The error handler of the consumers' batch bindings
	 * ({@code common-error-handler-bean-name}). {@link EventProcessor} parks what cannot
	 * be applied itself and throws only when the database or the broker cannot be
	 * reached: then the batch is delivered again, after a pause that doubles up to 10 s,
	 * for as long as it takes (the processing is idempotent); nothing is skipped.
	 * @return the handler
	 */
	@Bean(ConsumerBindingDefaults.BATCH_ERROR_HANDLER)
	CommonErrorHandler switchboardBatchErrorHandler() {
		ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
		backOff.setMaxInterval(10_000);
		return new DefaultErrorHandler(backOff);
	}

	@Bean(RawHeaderMapper.BEAN_NAME)
	@ConditionalOnMissingBean(name = RawHeaderMapper.BEAN_NAME)
	KafkaHeaderMapper kafkaBinderHeaderMapper() {
		return new RawHeaderMapper();
	}

	/** The consumer bindings' batch listeners map headers as the binder does. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ConsumerEndpointCustomizer.class, KafkaMessageDrivenChannelAdapter.class })
	static class ConsumerBindingConfiguration {

		@Bean
		ConsumerEndpointCustomizer<KafkaMessageDrivenChannelAdapter<?, ?>> batchHeaders(
				@Qualifier(RawHeaderMapper.BEAN_NAME) KafkaHeaderMapper headers) {
			return new BatchHeaders(headers);
		}

	}

	@Bean
	OutboxRelay outboxRelay(DatabaseClient database, TransactionalOperator transactions,
			KafkaTemplate<String, byte[]> outboxKafkaTemplate, OutboxProperties properties,
			@Value("${spring.application.name}") String applicationName, MeterRegistry meters) {
		return new OutboxRelay(database, transactions, outboxKafkaTemplate, properties,
				"/switchboard/" + applicationName, meters);
	}

	@Bean
	TraceContext traceContext(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new TraceContext(tracer.getIfAvailable(), propagator.getIfAvailable());
	}

	@Bean
	EventProcessor eventProcessor(DatabaseClient database, TransactionalOperator transactions, EventCodec codec,
			OutboxRelay relay, MeterRegistry meters, Clock clock, TraceContext traceContext, DeadLetters deadLetters) {
		return new EventProcessor(database, transactions, codec, relay, meters, clock, traceContext, deadLetters);
	}

}
