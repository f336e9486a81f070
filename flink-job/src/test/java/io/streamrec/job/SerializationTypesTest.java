package io.streamrec.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.config.StreamrecConfig;
import io.streamrec.ingest.RatingRecord;
import io.streamrec.schema.DeadLetter;
import io.streamrec.schema.Recommendation;
import io.streamrec.testutil.CollectingSink;
import io.streamrec.testutil.ListSource;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No record type of the dataflow may fall back to Kryo (GenericTypeInfo): Kryo is several times slower to copy and
 * serialise, and chained operators copy every record with the type's serializer. With
 * {@link PipelineOptions#GENERIC_TYPES} off, Flink refuses to create a Kryo serializer, so building the stream
 * graph fails on the first generic type.
 */
class SerializationTypesTest {

    @Test
    void noOperatorOutputIsAGenericType(@TempDir Path checkpoints) {
        StreamrecConfig config = StreamrecConfig.fromArgs(
                "--parallelism", "1", "--checkpoint.dir", checkpoints.toUri().toString());
        Configuration conf = StreamrecJob.flinkConfiguration(config);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        DataStream<Recommendation> recs = new StreamrecJob(
                        ListSource.of(List.of(), RatingRecord.class),
                        new CollectingSink<Recommendation>(),
                        new CollectingSink<DeadLetter>(),
                        config,
                        ItemCatalog.range(10))
                .build(env);
        assertThat(recs.getType()).isNotInstanceOf(GenericTypeInfo.class);
        // PojoTypeInfo's description names every field's type, nested ones included.
        for (Class<?> type : List.of(
                RatingRecord.class,
                io.streamrec.schema.RatingEvent.class,
                io.streamrec.state.RecommendationRequest.class,
                Recommendation.class,
                DeadLetter.class)) {
            assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(type)
                            .toString())
                    .as(type.getSimpleName())
                    .startsWith("PojoType")
                    .doesNotContain("GenericType");
        }

        // Generating the graph creates every edge's serializer: with generic types off, a Kryo one would throw.
        StreamGraph graph = env.getStreamGraph(false);
        for (StreamNode node : graph.getStreamNodes()) {
            if (node.getTypeSerializerOut() != null) {
                assertThat(node.getTypeSerializerOut().toString())
                        .as(node.getOperatorName())
                        .doesNotContain("Kryo");
            }
        }
        assertThatCode(() -> env.getStreamGraph().getJobGraph()).doesNotThrowAnyException();
    }
}
