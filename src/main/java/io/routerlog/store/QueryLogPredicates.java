package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;
import java.io.IOException;
import java.util.Map;

/** Selections of query log chunks, evaluated where the chunks live. */
final class QueryLogPredicates {
    private QueryLogPredicates() {}

    /** The chunks of one writer. */
    static final class OfWriter implements Predicate<QueryLogChunkKey, QueryLogChunk>, IdentifiedDataSerializable {
        private static final long serialVersionUID = 1L;
        private String writer = "";

        /** For deserialization. */
        OfWriter() {}

        OfWriter(String writer) {
            this.writer = writer;
        }

        @Override
        public boolean apply(Map.Entry<QueryLogChunkKey, QueryLogChunk> entry) {
            return entry.getKey().writer().equals(writer);
        }

        @Override
        public int getFactoryId() {
            return StoreSerialization.FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return StoreSerialization.QUERY_LOG_OF_WRITER;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(writer);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            String w = in.readString();
            writer = w == null ? "" : w;
        }
    }

    /** The chunks whose newest entry is older than a time, of every writer. */
    static final class OlderThan implements Predicate<QueryLogChunkKey, QueryLogChunk>, IdentifiedDataSerializable {
        private static final long serialVersionUID = 1L;
        private long cutoffMillis;

        /** For deserialization. */
        OlderThan() {}

        OlderThan(long cutoffMillis) {
            this.cutoffMillis = cutoffMillis;
        }

        @Override
        public boolean apply(Map.Entry<QueryLogChunkKey, QueryLogChunk> entry) {
            QueryLogChunk chunk = entry.getValue();
            return chunk != null && chunk.count() > 0 && chunk.newestMillis() < cutoffMillis;
        }

        @Override
        public int getFactoryId() {
            return StoreSerialization.FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return StoreSerialization.QUERY_LOG_OLDER_THAN;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(cutoffMillis);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            cutoffMillis = in.readLong();
        }
    }
}
