package io.streamrec.movielens;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** The official MovieLens file formats, and their detection from a file's name and first line. */
public enum MovieLensFormat {
    /** ml-100k {@code u.data}, {@code u1.base}, {@code ua.test}...: {@code user TAB item TAB rating TAB seconds}. */
    U_DATA(true, "u.data (user TAB item TAB rating TAB timestamp)"),
    /** ml-1m / ml-10m {@code ratings.dat}: {@code user::item::rating::seconds}. */
    RATINGS_DAT(true, "ratings.dat (user::item::rating::timestamp)"),
    /** ml-20m / ml-25m / ml-latest {@code ratings.csv}: header {@code userId,movieId,rating,timestamp}. */
    RATINGS_CSV(true, "ratings.csv (userId,movieId,rating,timestamp)"),
    /** ml-100k {@code u.item}: latin-1, {@code |}-separated, 5 fields then one 0/1 flag per genre of {@code u.genre}. */
    U_ITEM(false, "u.item (id|title|date|video date|url|19 genre flags)"),
    /** ml-1m / ml-10m {@code movies.dat}: latin-1 {@code id::title::genre|genre}. */
    MOVIES_DAT(false, "movies.dat (id::title::genres)"),
    /** ml-20m+ {@code movies.csv}: UTF-8 RFC 4180 CSV {@code movieId,title,genres}. */
    MOVIES_CSV(false, "movies.csv (movieId,title,genres)");

    static final String RATINGS_CSV_HEADER = "userid,movieid,rating,timestamp";
    static final String MOVIES_CSV_HEADER = "movieid,title,genres";
    /** A first line is enough to tell the formats apart; this much covers any real first line. */
    private static final int SNIFF_BYTES = 8192;

    private final boolean ratings;
    private final String description;

    MovieLensFormat(boolean ratings, String description) {
        this.ratings = ratings;
        this.description = description;
    }

    public boolean isRatings() {
        return ratings;
    }

    public String description() {
        return description;
    }

    /**
     * The format of {@code file}. The content decides, because names are not reliable ({@code *.test} is tab-separated
     * in ml-100k but {@code ::}-separated in the ml-10m split scripts' output); the official name is used when the
     * content says nothing (empty file, garbage first line), and a clash between an official name and clearly different
     * content is an error rather than a guess.
     */
    public static MovieLensFormat detect(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new MovieLensFormatException(file + " is a directory, not a MovieLens data file");
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        MovieLensFormat byName = fromName(file.getFileName().toString());
        MovieLensFormat byContent = fromFirstLine(firstLine(file));
        if (byContent == null) {
            if (byName == null) {
                throw new MovieLensFormatException("unknown format: " + file
                        + " is not one of u.data, ratings.dat, ratings.csv, u.item, movies.dat, movies.csv"
                        + " (by name or by its first line)");
            }
            return byName;
        }
        if (byName != null && byName != byContent && !(byName == U_DATA && byContent == RATINGS_DAT)) {
            throw new MovieLensFormatException(file + " is named like " + byName.description()
                    + " but its first line looks like " + byContent.description());
        }
        return byContent;
    }

    /** The format an official file name implies, or null. */
    static MovieLensFormat fromName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.equals("u.data") || n.endsWith(".base") || n.endsWith(".test")) return U_DATA;
        if (n.equals("ratings.dat")) return RATINGS_DAT;
        if (n.equals("ratings.csv")) return RATINGS_CSV;
        if (n.equals("u.item")) return U_ITEM;
        if (n.equals("movies.dat")) return MOVIES_DAT;
        if (n.equals("movies.csv")) return MOVIES_CSV;
        return null;
    }

    /** The format a first non-blank line implies, or null when it matches none. */
    static MovieLensFormat fromFirstLine(String line) {
        if (line == null) {
            return null;
        }
        String compact = line.replace(" ", "").replace("\"", "").toLowerCase(Locale.ROOT);
        if (compact.equals(RATINGS_CSV_HEADER)) return RATINGS_CSV;
        if (compact.equals(MOVIES_CSV_HEADER)) return MOVIES_CSV;
        if (line.indexOf('\t') >= 0) {
            String[] f = line.split("\t", -1);
            return f.length == 4 && allNumeric(f) ? U_DATA : null;
        }
        if (line.contains("::")) {
            String[] f = line.split("::", -1);
            if (f.length == 4 && allNumeric(f)) return RATINGS_DAT;
            // Exactly three fields: users.dat (id::gender::age::occupation::zip) must not pass for movies.dat.
            if (f.length == 3 && isInteger(f[0]) && !isNumber(f[1])) return MOVIES_DAT;
            return null;
        }
        String[] pipe = line.split("\\|", -1);
        if (pipe.length >= 6 && isInteger(pipe[0]) && isFlag(pipe[pipe.length - 1])) {
            return U_ITEM;
        }
        String[] comma = line.split(",", -1);
        if (comma.length == 4 && allNumeric(comma)) return RATINGS_CSV;
        if (comma.length >= 3 && isInteger(comma[0]) && !isNumber(comma[1])) return MOVIES_CSV;
        return null;
    }

    private static String firstLine(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        // Latin-1 maps every byte to one char, so sniffing never fails on either official encoding.
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("\u00EF\u00BB\u00BF")) {
            text = text.substring(3);
        }
        for (String line : text.split("\n")) {
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!l.isBlank()) {
                return l.strip();
            }
        }
        return null;
    }

    private static boolean allNumeric(String[] fields) {
        for (String f : fields) {
            if (!isNumber(f)) return false;
        }
        return true;
    }

    private static boolean isInteger(String s) {
        String t = s.strip();
        if (t.isEmpty()) return false;
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') return false;
        }
        return true;
    }

    private static boolean isNumber(String s) {
        String t = s.strip();
        boolean digit = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && !(i == 0 && c == '-')) {
                return false;
            }
        }
        return digit;
    }

    private static boolean isFlag(String s) {
        return s.strip().equals("0") || s.strip().equals("1");
    }
}
