package io.streamrec.movielens;

import static io.streamrec.movielens.Fixtures.writeUtf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensFormatTest {
    @TempDir
    Path dir;

    @Test
    void detectsEveryFormatFromContentAloneUnderAnUnofficialName() throws Exception {
        assertThat(MovieLensFormat.detect(writeUtf8(dir, "a.txt", "196\t242\t3\t881250949")))
                .isEqualTo(MovieLensFormat.U_DATA);
        assertThat(MovieLensFormat.detect(writeUtf8(dir, "b.txt", "1::1193::5::978300760")))
                .isEqualTo(MovieLensFormat.RATINGS_DAT);
        assertThat(MovieLensFormat.detect(writeUtf8(dir, "c.txt", "userId,movieId,rating,timestamp")))
                .isEqualTo(MovieLensFormat.RATINGS_CSV);
        assertThat(MovieLensFormat.detect(writeUtf8(dir, "d.txt", "1,1,4.0,964982703")))
                .isEqualTo(MovieLensFormat.RATINGS_CSV);
        assertThat(MovieLensFormat.detect(writeUtf8(
                        dir, "e.txt", "1|Toy Story (1995)|01-Jan-1995||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0")))
                .isEqualTo(MovieLensFormat.U_ITEM);
        assertThat(MovieLensFormat.detect(writeUtf8(dir, "f.txt", "1::Toy Story (1995)::Animation|Comedy")))
                .isEqualTo(MovieLensFormat.MOVIES_DAT);
        assertThat(MovieLensFormat.detect(writeUtf8(dir, "g.txt", "movieId,title,genres")))
                .isEqualTo(MovieLensFormat.MOVIES_CSV);
        assertThat(MovieLensFormat.detect(writeUtf8(dir, "h.txt", "1,Toy Story (1995),Animation|Comedy")))
                .isEqualTo(MovieLensFormat.MOVIES_CSV);
    }

    @Test
    void ml10mSplitFilesNamedTestButColonSeparatedAreRatingsDat() throws Exception {
        assertThat(MovieLensFormat.detect(writeUtf8(dir, "r1.test", "1::122::5::838985046")))
                .isEqualTo(MovieLensFormat.RATINGS_DAT);
    }

    @Test
    void officialNameDecidesWhenContentSaysNothing() throws Exception {
        Path empty = Files.write(dir.resolve("ratings.csv"), new byte[0]);
        assertThat(MovieLensFormat.detect(empty)).isEqualTo(MovieLensFormat.RATINGS_CSV);
        assertThat(MovieLensFormat.detect(writeUtf8(dir, "u.data", "garbage"))).isEqualTo(MovieLensFormat.U_DATA);
    }

    @Test
    void officialNameWithOtherFormatsContentIsAnError() throws Exception {
        Path f = writeUtf8(dir, "ratings.csv", "1::1193::5::978300760");
        assertThatThrownBy(() -> MovieLensFormat.detect(f))
                .isInstanceOf(MovieLensFormatException.class)
                .hasMessageContaining("named like ratings.csv")
                .hasMessageContaining("looks like ratings.dat");
    }

    @Test
    void unrelatedFilesAreUnknown() throws Exception {
        for (String line :
                new String[] {"1|24|M|technician|85711", "1::F::1::10::48067", "movieId,imdbId,tmdbId", "unknown|0"}) {
            Path f = writeUtf8(dir, "x.txt", line);
            assertThatThrownBy(() -> MovieLensFormat.detect(f)).as(line).hasMessageContaining("unknown format");
        }
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertThatThrownBy(() -> MovieLensFormat.detect(empty)).hasMessageContaining("unknown format");
        assertThatThrownBy(() -> MovieLensFormat.detect(dir)).hasMessageContaining("is a directory");
    }
}
