package io.streamrec.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads ratings-topic records into {@link RatingRecord}s on the source thread; bad records become dead letters, never exceptions. */
public class RatingRecordDeserializer implements KafkaRecordDeserializationSchema<RatingRecord> {
    private static final long serialVersionUID = 1L;

    private final int maxDeadLetterPayload;

    /** @param maxDeadLetterPayload original bytes a dead letter keeps ({@code dlq.max.payload.bytes}) */
    public RatingRecordDeserializer(int maxDeadLetterPayload) {
        this.maxDeadLetterPayload = maxDeadLetterPayload;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RatingRecord> out) {
        out.collect(RatingParser.parse(
                record.value(), record.topic(), record.partition(), record.offset(), maxDeadLetterPayload));
    }

    @Override
    public TypeInformation<RatingRecord> getProducedType() {
        return TypeInformation.of(RatingRecord.class);
    }
}
