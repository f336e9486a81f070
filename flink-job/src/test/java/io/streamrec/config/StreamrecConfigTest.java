package io.streamrec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamrecConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        StreamrecConfig c = StreamrecConfig.defaults();
        assertThat(c.getInt(ConfigKey.K)).isEqualTo(10);
        assertThat(c.getInt(ConfigKey.WINDOW_SIZE)).isEqualTo(5);
        assertThat(c.getDouble(ConfigKey.POSITIVE_THRESHOLD)).isEqualTo(4.0);
        assertThat(c.get(ConfigKey.STATE_BACKEND)).isEqualTo("rocksdb");
    }

    @Test
    void commandLineOverridesFileOverridesDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "k=20\nwindow.size=7\nkafka.security.protocol=SASL_SSL\n");
        StreamrecConfig c = StreamrecConfig.fromArgs("--config", file.toString(), "--k", "3", "--parallelism=4");
        assertThat(c.getInt(ConfigKey.K)).isEqualTo(3);
        assertThat(c.getInt(ConfigKey.WINDOW_SIZE)).isEqualTo(7);
        assertThat(c.getInt(ConfigKey.PARALLELISM)).isEqualTo(4);
        assertThat(c.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void unknownKeysAndBadValuesAreErrors() {
        assertThatThrownBy(() -> StreamrecConfig.fromArgs("--kk", "3"))
                .hasMessageContaining("unknown configuration key 'kk'");
        assertThatThrownBy(() -> StreamrecConfig.fromArgs("--k", "0")).hasMessageContaining("bad value for k");
        assertThatThrownBy(() -> StreamrecConfig.fromArgs("--state.backend", "memory"))
                .hasMessageContaining("one of");
        assertThatThrownBy(() -> StreamrecConfig.fromArgs("--config", "/no/such/file"))
                .hasMessageContaining("config file not found");
        assertThatThrownBy(() -> StreamrecConfig.fromArgs("k", "3")).hasMessageContaining("expected --key value");
    }

    @Test
    void secretsAreMaskedInEveryPrintedForm() {
        StreamrecConfig c = StreamrecConfig.fromArgs(
                "--kafka.sasl.jaas.config",
                "PlainLoginModule password=hunter2",
                "--kafka.ssl.truststore.password",
                "s3cret",
                "--kafka.security.protocol",
                "SASL_SSL");
        assertThat(c.toString())
                .doesNotContain("hunter2")
                .doesNotContain("s3cret")
                .contains("SASL_SSL");
        assertThat(c.redacted()).containsEntry("kafka.ssl.truststore.password", "******");
        assertThat(c.kafkaProperties()).containsEntry("ssl.truststore.password", "s3cret");
    }

    @Test
    void theConfigurationPageIsTheOneGeneratedFromTheKeys() throws Exception {
        Path page = Path.of(System.getProperty("streamrec.repo.root", "..")).resolve("docs/configuration.md");
        String generated = StreamrecConfig.configurationPage();
        if (Boolean.getBoolean("streamrec.docs.write")) Files.writeString(page, generated);
        String text = Files.readString(page);
        assertThat(text)
                .as("docs/configuration.md is generated: rerun this test with -Dstreamrec.docs.write=true")
                .isEqualTo(generated);
        for (ConfigKey k : ConfigKey.values()) assertThat(text).contains("| `" + k.key + "` |");
    }
}
