package io.streamrec.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.schema.SecretProperties;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerSettingsTest {
    @TempDir
    Path dir;

    @Test
    void idempotenceAndSerializersAreForcedUserSecuritySettingsPassThrough() throws Exception {
        Path file = Files.writeString(
                dir.resolve("client.properties"),
                String.join(
                        "\n",
                        "security.protocol=SASL_SSL",
                        "sasl.mechanism=PLAIN",
                        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";",
                        "acks=1",
                        "enable.idempotence=false",
                        "linger.ms=50",
                        "bootstrap.servers=broker-from-file:9093"));
        List<String> notes = new ArrayList<>();
        Properties p = ProducerSettings.build(null, ProducerSettings.load(file), notes);
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("sasl.mechanism")).isEqualTo("PLAIN");
        assertThat(p.getProperty("sasl.jaas.config")).contains("hunter2");
        assertThat(p.getProperty("linger.ms"))
                .as("user tuning wins over defaults")
                .isEqualTo("50");
        assertThat(p.getProperty("acks")).isEqualTo("all");
        assertThat(p.getProperty("enable.idempotence")).isEqualTo("true");
        assertThat(p.getProperty("bootstrap.servers")).isEqualTo("broker-from-file:9093");
        assertThat(notes)
                .containsExactlyInAnyOrder(
                        "ignored acks=1 (acks=all is required)",
                        "ignored enable.idempotence=false (enable.idempotence=true is required)");
        assertThat(ProducerSettings.describe(p))
                .noneMatch(l -> l.contains("hunter2"))
                .contains("sasl.jaas.config=******", "security.protocol=SASL_SSL");
    }

    @Test
    void commandLineBootstrapBeatsTheFileAndTheDefaultAppliesOtherwise() {
        Properties user = new Properties();
        user.setProperty("bootstrap.servers", "from-file:9092");
        assertThat(ProducerSettings.build("cli:9092", user, new ArrayList<>()).getProperty("bootstrap.servers"))
                .isEqualTo("cli:9092");
        assertThat(ProducerSettings.build(null, new Properties(), new ArrayList<>())
                        .getProperty("bootstrap.servers"))
                .isEqualTo("localhost:9092");
    }

    @Test
    void secretNamesAreRecognised() {
        assertThat(List.of(
                        "ssl.keystore.password",
                        "ssl.key.password",
                        "ssl.truststore.password",
                        "sasl.jaas.config",
                        "ssl.keystore.key",
                        "sasl.oauthbearer.client.credentials.client.secret",
                        "basic.auth.user.info"))
                .allMatch(SecretProperties::isSecret);
        assertThat(List.of("key.serializer", "security.protocol", "ssl.keystore.location", "bootstrap.servers", "acks"))
                .noneMatch(SecretProperties::isSecret);
    }

    @Test
    void missingConfigFile() {
        assertThatThrownBy(() -> ProducerSettings.load(dir.resolve("nope.properties")))
                .isInstanceOf(NoSuchFileException.class);
    }
}
