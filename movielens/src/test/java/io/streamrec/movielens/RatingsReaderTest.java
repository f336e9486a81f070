package io.streamrec.movielens;

import static io.streamrec.movielens.Fixtures.collect;
import static io.streamrec.movielens.Fixtures.write;
import static io.streamrec.movielens.Fixtures.writeUtf8;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.schema.RatingEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatingsReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsUDataWithSecondsConvertedToMillis() throws Exception {
        Path f = writeUtf8(dir, "u.data", "196\t242\t3\t881250949", "186\t302\t3\t891717742", "22\t377\t1\t878887116");
        RatingsReader.LoadedRatings r = RatingsReader.load(f);
        assertThat(r.format()).isEqualTo(MovieLensFormat.U_DATA);
        assertThat(r.events().asList())
                .containsExactly(
                        new RatingEvent(196, 242, 3f, 881250949000L),
                        new RatingEvent(186, 302, 3f, 891717742000L),
                        new RatingEvent(22, 377, 1f, 878887116000L));
        assertThat(r.report().linesRead()).isEqualTo(3);
        assertThat(r.report().recordsOk()).isEqualTo(3);
        assertThat(r.report().malformed()).isZero();
    }

    @Test
    void readsSplitFilesLikeU1Base() throws Exception {
        Path f = writeUtf8(dir, "u1.base", "1\t1\t5\t874965758", "1\t2\t3\t876893171");
        assertThat(collect(f)).containsExactly(new int[] {1, 1, 50, 874965758}, new int[] {1, 2, 30, 876893171});
    }

    @Test
    void readsRatingsDat() throws Exception {
        Path f = writeUtf8(dir, "ratings.dat", "1::1193::5::978300760", "6040::1097::4::956715648");
        RatingsReader.LoadedRatings r = RatingsReader.load(f);
        assertThat(r.format()).isEqualTo(MovieLensFormat.RATINGS_DAT);
        assertThat(r.events().asList())
                .containsExactly(
                        new RatingEvent(1, 1193, 5f, 978300760000L), new RatingEvent(6040, 1097, 4f, 956715648000L));
    }

    @Test
    void readsRatingsCsvWithHeaderCrlfHalfStarsAndSparseIds() throws Exception {
        Path f = write(
                dir,
                "ratings.csv",
                US_ASCII,
                "\r\n",
                "userId,movieId,rating,timestamp",
                "1,1,4.0,964982703",
                "1,193609,0.5,964981247",
                "162541,50872,4.5,1240953372");
        RatingsReader.LoadedRatings r = RatingsReader.load(f);
        assertThat(r.format()).isEqualTo(MovieLensFormat.RATINGS_CSV);
        assertThat(r.events().asList())
                .containsExactly(
                        new RatingEvent(1, 1, 4.0f, 964982703000L),
                        new RatingEvent(1, 193609, 0.5f, 964981247000L),
                        new RatingEvent(162541, 50872, 4.5f, 1240953372000L));
        assertThat(r.report().linesRead()).isEqualTo(4);
        assertThat(r.report().malformed())
                .as("the header is not a malformed line")
                .isZero();
    }

    @Test
    void headerlessCsvAndByteOrderMarkAndTrailingBlankLinesAreFine() throws Exception {
        byte[] body = "\uFEFF1,2,3.5,100\n2,3,1,200\n\n  \n".getBytes(StandardCharsets.UTF_8);
        Path f = Files.write(dir.resolve("my-export.csv"), body);
        RatingsReader.LoadedRatings r = RatingsReader.load(f);
        assertThat(r.events().asList())
                .containsExactly(new RatingEvent(1, 2, 3.5f, 100_000L), new RatingEvent(2, 3, 1f, 200_000L));
        assertThat(r.report().malformed()).isZero();
    }

    @Test
    void malformedLinesAreCountedWithLineNumbersAndSkipped() throws Exception {
        Path f = write(
                dir,
                "ratings.csv",
                US_ASCII,
                "\r\n",
                "userId,movieId,rating,timestamp", // 1
                "1,10,4.0,1000", // 2 ok
                "1,11,4.0", // 3 too few fields
                "1,12,4.0,1000,9", // 4 too many fields
                "x,13,4.0,1000", // 5 non-numeric id
                "1,14,5.5,1000", // 6 rating above 5
                "1,15,0.4,1000", // 7 rating below 0.5
                "0,16,3.0,1000", // 8 user id 0
                "1,-17,3.0,1000", // 9 negative item
                "1,18,3.0,-5", // 10 negative timestamp
                "1,19,NaN,1000", // 11 NaN
                "1,20,3.0,12.5", // 12 fractional timestamp
                "1,21,,1000", // 13 empty rating
                "1,22,4e0,1000", // 14 exponent is not MovieLens
                "2,23,0.5,2000"); // 15 ok
        List<int[]> got = new ArrayList<>();
        ParseReport report = RatingsReader.read(f, (u, i, r, ts) -> got.add(new int[] {u, i}));
        assertThat(got).containsExactly(new int[] {1, 10}, new int[] {2, 23});
        assertThat(report.linesRead()).isEqualTo(15);
        assertThat(report.recordsOk()).isEqualTo(2);
        assertThat(report.malformed()).isEqualTo(12);
        assertThat(report.messages()).hasSize(12);
        assertThat(report.messages().get(0))
                .startsWith("ratings.csv:3: expected 4 fields")
                .contains("found 3");
        assertThat(report.messages().get(1)).startsWith("ratings.csv:4: ").contains("found 5");
        assertThat(report.messages().get(2)).startsWith("ratings.csv:5: non-numeric");
        assertThat(report.messages().get(3)).startsWith("ratings.csv:6: rating out of range");
        assertThat(report.messages().get(4)).startsWith("ratings.csv:7: rating out of range");
        assertThat(report.messages().get(5)).startsWith("ratings.csv:8: user and item ids");
        assertThat(report.messages().get(6)).startsWith("ratings.csv:9: user and item ids");
        assertThat(report.messages().get(7)).startsWith("ratings.csv:10: negative timestamp");
        assertThat(report.messages().get(8)).startsWith("ratings.csv:11: non-numeric");
        assertThat(report.messages().get(9)).startsWith("ratings.csv:12: non-numeric");
        assertThat(report.messages().get(10)).startsWith("ratings.csv:13: non-numeric");
        assertThat(report.messages().get(11))
                .startsWith("ratings.csv:14: non-numeric")
                .endsWith("'1,22,4e0,1000'");
    }

    @Test
    void malformedDatAndTabLinesUseTheirOwnSeparators() throws Exception {
        Path dat = writeUtf8(dir, "ratings.dat", "1::2::3::4", "1:2:3:4", "1::2::3");
        ParseReport r1 = RatingsReader.read(dat, (u, i, r, ts) -> {});
        assertThat(r1.recordsOk()).isEqualTo(1);
        assertThat(r1.messages())
                .containsExactly(
                        "ratings.dat:2: expected 4 fields separated by '::', found 1: '1:2:3:4'",
                        "ratings.dat:3: expected 4 fields separated by '::', found 3: '1::2::3'");
        Path tab = writeUtf8(dir, "u.data", "1\t2\t3\t4", "1 2 3 4", "1\t2\t3\t4\t");
        ParseReport r2 = RatingsReader.read(tab, (u, i, r, ts) -> {});
        assertThat(r2.recordsOk()).isEqualTo(1);
        assertThat(r2.messages()).hasSize(2);
        assertThat(r2.messages().get(0)).startsWith("u.data:2: expected 4 fields separated by TAB, found 1");
        assertThat(r2.messages().get(1)).startsWith("u.data:3: expected 4 fields separated by TAB, found 5");
    }

    @Test
    void keepsTheFirstTwentyMessagesButCountsEveryMalformedLine() throws Exception {
        String[] lines = new String[101];
        lines[0] = "1\t1\t1\t1";
        for (int i = 1; i < lines.length; i++) lines[i] = "bad line " + i;
        Path f = writeUtf8(dir, "u.data", lines);
        ParseReport report = RatingsReader.read(f, (u, i, r, ts) -> {});
        assertThat(report.malformed()).isEqualTo(100);
        assertThat(report.messages()).hasSize(ParseReport.MAX_MESSAGES);
        assertThat(report.messages().get(19)).startsWith("u.data:21:");
        assertThat(report.toString()).contains("... and 80 more malformed lines");
    }

    @Test
    void linesAcrossBufferBoundariesAndVeryLongLinesParseExactly() throws Exception {
        // ~3 MB: many 64 KB chunk boundaries fall inside lines; one 200 KB line forces the buffer to grow.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int n = 150_000;
        for (int i = 1; i <= n; i++) {
            bytes.writeBytes(((i) + "::" + (i % 977 + 1) + "::" + (i % 10 + 1) / 2.0 + "::" + (1_000_000_000L + i)
                            + (i % 3 == 0 ? "\r\n" : "\n"))
                    .getBytes(US_ASCII));
            if (i == 70_000) {
                bytes.writeBytes(("9::9::" + "1".repeat(200_000) + "::9\n").getBytes(US_ASCII));
            }
        }
        bytes.writeBytes("999999::1::5::42".getBytes(US_ASCII)); // last line without newline
        Path f = Files.write(dir.resolve("ratings.dat"), bytes.toByteArray());
        RatingsReader.LoadedRatings r = RatingsReader.load(f);
        EventLog log = r.events();
        assertThat(log.size()).isEqualTo(n + 1);
        for (int i = 1; i <= n; i++) {
            int idx = i - 1;
            assertThat(log.userId(idx)).isEqualTo(i);
            assertThat(log.itemId(idx)).isEqualTo(i % 977 + 1);
            assertThat(log.rating(idx)).isEqualTo((float) ((i % 10 + 1) / 2.0));
            assertThat(log.timestamp(idx)).isEqualTo((1_000_000_000L + i) * 1000);
        }
        assertThat(log.get(n)).isEqualTo(new RatingEvent(999999, 1, 5f, 42_000L));
        assertThat(r.report().malformed()).isEqualTo(1);
        assertThat(r.report().messages().get(0)).startsWith("ratings.dat:70001: non-numeric");
        assertThat(r.report().linesRead()).isEqualTo(n + 2);
    }

    @Test
    void folderResolvesToItsRatingsFile() throws Exception {
        writeUtf8(dir, "u.data", "1\t2\t3\t4");
        writeUtf8(dir, "u.item", "1|Toy Story (1995)|01-Jan-1995||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0");
        RatingsReader.LoadedRatings r = RatingsReader.load(dir);
        assertThat(r.file()).isEqualTo(dir.resolve("u.data"));
        assertThat(r.events().size()).isEqualTo(1);
    }

    @Test
    void missingFileAndEmptyFolderFailClearly() throws Exception {
        assertThatThrownBy(() -> RatingsReader.load(dir.resolve("nope.csv")))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nope.csv");
        assertThatThrownBy(() -> RatingsReader.load(dir))
                .isInstanceOf(MovieLensFormatException.class)
                .hasMessageContaining("no ratings file (ratings.csv, ratings.dat, u.data)");
    }

    @Test
    void unknownFormatAndMetadataFilesAreRejected() throws Exception {
        Path tags =
                write(dir, "tags.csv", US_ASCII, "\r\n", "userId,movieId,tag,timestamp", "2,60756,funny,1445714994");
        assertThatThrownBy(() -> RatingsReader.load(tags))
                .isInstanceOf(MovieLensFormatException.class)
                .hasMessageContaining("unknown format");
        Path movies = writeUtf8(dir, "movies.dat", "1::Toy Story (1995)::Animation|Children's|Comedy");
        assertThatThrownBy(() -> RatingsReader.load(movies))
                .isInstanceOf(MovieLensFormatException.class)
                .hasMessageContaining("not ratings");
    }
}
