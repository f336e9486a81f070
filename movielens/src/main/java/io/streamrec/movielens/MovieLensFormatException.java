package io.streamrec.movielens;

import java.io.IOException;

/** A data file that is not (or not recognisably) one of the official MovieLens formats; the CLI exits with code 2. */
public class MovieLensFormatException extends IOException {
    public MovieLensFormatException(String message) {
        super(message);
    }
}
