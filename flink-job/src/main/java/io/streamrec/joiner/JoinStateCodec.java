package io.streamrec.joiner;

import io.streamrec.schema.BinaryArrays;
import io.streamrec.schema.RatingEvent;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The binary form of the reward joiner's per-user state: field by field with {@link DataOutput}, no class
 * descriptors. Java serialisation of that state on every event (RocksDB keeps it as bytes) cost a fifth of the full
 * job's CPU in the profile (issue 6). Nullable arrays and strings carry a length or presence flag.
 */
final class JoinStateCodec {
    /** First byte of the current format; Java serialisation streams start with 0xAC instead. */
    static final byte FORMAT = 1;

    private static final byte RATING = 0;
    private static final byte DECISION = 1;

    private JoinStateCodec() {}

    static void writeEvent(DataOutput out, Object event) throws IOException {
        if (event instanceof RatingEvent r) {
            out.writeByte(RATING);
            out.writeInt(r.userId);
            out.writeInt(r.itemId);
            out.writeFloat(r.rating);
            out.writeLong(r.timestamp);
        } else if (event instanceof SlateDecision d) {
            out.writeByte(DECISION);
            writeDecision(out, d);
        } else {
            throw new IllegalArgumentException("not a joiner event: " + event);
        }
    }

    static Object readEvent(DataInput in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case RATING -> new RatingEvent(in.readInt(), in.readInt(), in.readFloat(), in.readLong());
            case DECISION -> readDecision(in);
            default -> throw new IOException("corrupt reward-join state: event tag " + tag);
        };
    }

    static void writeDecision(DataOutput out, SlateDecision d) throws IOException {
        writeString(out, d.requestId);
        out.writeInt(d.userId);
        writeString(out, d.policy);
        out.writeLong(d.modelVersion);
        out.writeLong(d.eventTime);
        writeInts(out, d.window);
        writeFloats(out, d.action);
        writeInts(out, d.slate);
    }

    static SlateDecision readDecision(DataInput in) throws IOException {
        SlateDecision d = new SlateDecision();
        d.requestId = readString(in);
        d.userId = in.readInt();
        d.policy = readString(in);
        d.modelVersion = in.readLong();
        d.eventTime = in.readLong();
        d.window = readInts(in);
        d.action = readFloats(in);
        d.slate = readInts(in);
        return d;
    }

    static void writeString(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) out.writeUTF(s);
    }

    static String readString(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    static void writeInts(DataOutput out, int[] a) throws IOException {
        BinaryArrays.writeInts(out, a);
    }

    static int[] readInts(DataInput in) throws IOException {
        return BinaryArrays.readInts(in);
    }

    static void writeFloats(DataOutput out, float[] a) throws IOException {
        BinaryArrays.writeFloats(out, a);
    }

    static float[] readFloats(DataInput in) throws IOException {
        return BinaryArrays.readFloats(in);
    }
}
