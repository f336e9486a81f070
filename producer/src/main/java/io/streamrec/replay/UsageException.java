package io.streamrec.replay;

/** A command-line mistake (unknown option, bad value, missing input); the CLI prints it and exits with code 2. */
public class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
