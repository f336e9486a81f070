package io.streamrec.movielens;

import static io.streamrec.movielens.Fixtures.write;
import static io.streamrec.movielens.Fixtures.writeUtf8;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.schema.Movie;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieReaderTest {
    @TempDir
    Path dir;

    private static String flags(int... set) {
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < 19; g++) {
            boolean on = false;
            for (int s : set) on |= s == g;
            sb.append('|').append(on ? '1' : '0');
        }
        return sb.toString();
    }

    @Test
    void readsLatin1UItemWithStandardGenresWhenUGenreIsAbsent() throws Exception {
        Path f = write(
                dir,
                "u.item",
                ISO_8859_1,
                "\n",
                "1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)"
                        + flags(3, 4, 5),
                "2|Café au lait (1993)|01-Jan-1993||" + flags(5, 14),
                "267|unknown|||" + flags(0));
        MovieReader.LoadedMovies m = MovieReader.load(f);
        assertThat(m.format()).isEqualTo(MovieLensFormat.U_ITEM);
        assertThat(m.movies())
                .containsExactly(
                        new Movie(1, "Toy Story (1995)", List.of("Animation", "Children's", "Comedy")),
                        new Movie(2, "Café au lait (1993)", List.of("Comedy", "Romance")),
                        new Movie(267, "unknown", List.of()));
        assertThat(m.report().malformed()).isZero();
        assertThat(m.report().notes()).as("official latin-1, no fallback").isEmpty();
    }

    @Test
    void uItemUsesTheGenreOrderOfUGenreBesideIt() throws Exception {
        // A u.genre with a different order and only 3 genres: u.item then has 5 + 3 fields.
        write(dir, "u.genre", ISO_8859_1, "\n", "Western|2", "Noir|0", "Drama|1", "");
        Path f = write(dir, "u.item", ISO_8859_1, "\n", "7|Some Film (1950)|||url|1|0|1", "8|Broken|||url|1|0");
        MovieReader.LoadedMovies m = MovieReader.load(f);
        assertThat(m.movies()).containsExactly(new Movie(7, "Some Film (1950)", List.of("Noir", "Western")));
        assertThat(m.report().messages())
                .containsExactly("u.item:2: expected 8 '|'-separated fields, found 7: '8|Broken|||url|1|0'");
    }

    @Test
    void uItemConvertedToUtf8IsStillDecodedCorrectly() throws Exception {
        Path f = write(dir, "u.item", UTF_8, "\r\n", "2|Café au lait (1993)|01-Jan-1993||" + flags(5));
        MovieReader.LoadedMovies m = MovieReader.load(f);
        assertThat(m.movies()).extracting(mv -> mv.title).containsExactly("Café au lait (1993)");
        assertThat(m.report().notes()).singleElement().asString().contains("UTF-8");
    }

    @Test
    void readsLatin1MoviesDatWithNoGenresAndColonsInTitles() throws Exception {
        Path f = write(
                dir,
                "movies.dat",
                ISO_8859_1,
                "\n",
                "1::Toy Story (1995)::Animation|Children's|Comedy",
                "1367::Cité des enfants perdus, La (1995)::Adventure|Sci-Fi",
                "2000::Star Trek: Deep Space Nine::The Movie (1999)::Sci-Fi",
                "65091::Some Film (2008)::(no genres listed)",
                "bad::line::Drama",
                "3::Missing separator Drama");
        MovieReader.LoadedMovies m = MovieReader.load(f);
        assertThat(m.format()).isEqualTo(MovieLensFormat.MOVIES_DAT);
        assertThat(m.movies())
                .containsExactly(
                        new Movie(1, "Toy Story (1995)", List.of("Animation", "Children's", "Comedy")),
                        new Movie(1367, "Cité des enfants perdus, La (1995)", List.of("Adventure", "Sci-Fi")),
                        new Movie(2000, "Star Trek: Deep Space Nine::The Movie (1999)", List.of("Sci-Fi")),
                        new Movie(65091, "Some Film (2008)", List.of()));
        assertThat(m.report().malformed()).isEqualTo(2);
        assertThat(m.report().messages().get(0)).startsWith("movies.dat:5: movie id");
        assertThat(m.report().messages().get(1)).startsWith("movies.dat:6: expected MovieID::Title::Genres");
    }

    @Test
    void readsRfc4180MoviesCsvWithQuotedCommasEscapedQuotesCrlfAndNoGenres() throws Exception {
        Path f = write(
                dir,
                "movies.csv",
                UTF_8,
                "\r\n",
                "movieId,title,genres",
                "11,\"American President, The (1995)\",Comedy|Drama|Romance",
                "1414,\"Waiting for \"\"Superman\"\" (2010)\",Documentary",
                "29,\"City of Lost Children, The (Cité des enfants perdus, La) (1995)\",Adventure|Drama",
                "114335,La cravate (1957),(no genres listed)",
                "\"5\",Quoted Id (2000),Drama");
        MovieReader.LoadedMovies m = MovieReader.load(f);
        assertThat(m.format()).isEqualTo(MovieLensFormat.MOVIES_CSV);
        assertThat(m.movies())
                .containsExactly(
                        new Movie(11, "American President, The (1995)", List.of("Comedy", "Drama", "Romance")),
                        new Movie(1414, "Waiting for \"Superman\" (2010)", List.of("Documentary")),
                        new Movie(
                                29,
                                "City of Lost Children, The (Cité des enfants perdus, La) (1995)",
                                List.of("Adventure", "Drama")),
                        new Movie(114335, "La cravate (1957)", List.of()),
                        new Movie(5, "Quoted Id (2000)", List.of("Drama")));
        assertThat(m.report().malformed()).isZero();
        assertThat(m.report().linesRead()).isEqualTo(6);
    }

    @Test
    void malformedCsvRecordsAreReportedWithTheirLineAndDoNotSwallowLaterLines() throws Exception {
        Path f = write(
                dir,
                "movies.csv",
                UTF_8,
                "\n",
                "movieId,title,genres",
                "1,Toy Story (1995),Animation",
                "2,Unquoted, comma (1995),Drama",
                "3,\"Never closed (1995),Drama",
                "4,Fine (1996),Drama",
                "4,Duplicate (1996),Drama",
                "0,Zero Id,Drama",
                "6,,Drama");
        MovieReader.LoadedMovies m = MovieReader.load(f);
        assertThat(m.movies()).extracting(mv -> mv.itemId).containsExactly(1, 4);
        assertThat(m.report().malformed()).isEqualTo(5);
        assertThat(m.report().messages())
                .satisfiesExactly(
                        s -> assertThat(s).startsWith("movies.csv:3: expected 3 fields"),
                        s -> assertThat(s).startsWith("movies.csv:4: unterminated quoted field"),
                        s -> assertThat(s).startsWith("movies.csv:6: duplicate movie id 4"),
                        s -> assertThat(s).startsWith("movies.csv:7: movie id"),
                        s -> assertThat(s).startsWith("movies.csv:8: empty title"));
    }

    @Test
    void latin1MoviesCsvFallsBackInsteadOfProducingReplacementCharacters() throws Exception {
        Path f = write(dir, "movies.csv", ISO_8859_1, "\n", "movieId,title,genres", "1,Café (2000),Drama");
        MovieReader.LoadedMovies m = MovieReader.load(f);
        assertThat(m.movies()).extracting(mv -> mv.title).containsExactly("Café (2000)");
        assertThat(m.report().notes()).singleElement().asString().contains("ISO-8859-1");
    }

    @Test
    void folderPicksTheMetadataFileAndErrorsAreClear() throws Exception {
        writeUtf8(dir, "movies.dat", "1::Toy Story (1995)::Animation");
        writeUtf8(dir, "ratings.dat", "1::1::5::978300760");
        assertThat(MovieReader.read(dir)).containsExactly(new Movie(1, "Toy Story (1995)", List.of("Animation")));
        assertThatThrownBy(() -> MovieReader.read(dir.resolve("ratings.dat")))
                .isInstanceOf(MovieLensFormatException.class)
                .hasMessageContaining("not movie metadata");
        assertThatThrownBy(() -> MovieReader.read(dir.resolve("missing.dat"))).isInstanceOf(NoSuchFileException.class);
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> MovieReader.read(empty)).hasMessageContaining("no movie metadata file");
        Path junk = writeUtf8(dir, "notes.txt", "hello world");
        assertThatThrownBy(() -> MovieReader.read(junk))
                .isInstanceOf(MovieLensFormatException.class)
                .hasMessageContaining("unknown format");
    }
}
