package io.connpool.internal;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A checkout allocates nothing only while {@code Lease.close()} stays small enough for C2 to inline it
 * at the exception-path call site that try-with-resources adds and that never runs (see
 * PooledLease). That limit is {@code -XX:MaxTrivialSize}, in bytes of bytecode, so this test reads
 * the compiled class file: one more statement in {@code close()} would bring back an allocation per
 * checkout without failing anything else.
 */
class LeaseInliningTest {

    @Test
    void closeIsSmallEnoughToBeInlinedWhereItHasNeverRun() throws IOException {
        int limit = Integer.parseInt(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MaxTrivialSize").getValue());

        assertThat(codeLength(PooledLease.class, "close", "()V"))
                .as("bytes of bytecode in PooledLease.close() (C2 inlines at most MaxTrivialSize=%d at a call site"
                        + " that never ran)", limit)
                .isLessThanOrEqualTo(limit);
    }

    /** The length of a method's bytecode, from the class file (JVMS chapter 4). */
    private static int codeLength(Class<?> type, String name, String descriptor) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            assertThat(in).as("class file of %s", type.getName()).isNotNull();
            DataInputStream data = new DataInputStream(in);
            data.readInt(); // magic
            data.readUnsignedShort(); // minor version
            data.readUnsignedShort(); // major version
            List<String> utf8 = readConstantPool(data);
            data.readUnsignedShort(); // access flags
            data.readUnsignedShort(); // this class
            data.readUnsignedShort(); // super class
            data.skipBytes(2 * data.readUnsignedShort()); // interfaces
            skipMembers(data); // fields
            int methods = data.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                data.readUnsignedShort(); // access flags
                String methodName = utf8.get(data.readUnsignedShort());
                String methodDescriptor = utf8.get(data.readUnsignedShort());
                int attributes = data.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8.get(data.readUnsignedShort());
                    int length = data.readInt();
                    if (attribute.equals("Code") && methodName.equals(name) && methodDescriptor.equals(descriptor)) {
                        data.readUnsignedShort(); // max stack
                        data.readUnsignedShort(); // max locals
                        return data.readInt();
                    }
                    data.skipBytes(length);
                }
            }
            throw new AssertionError("no method " + name + descriptor + " with code in " + type.getName());
        }
    }

    /** Reads the constant pool; returns its UTF-8 entries by index (null for every other kind). */
    private static List<String> readConstantPool(DataInputStream data) throws IOException {
        int count = data.readUnsignedShort();
        List<String> utf8 = new ArrayList<>(count);
        utf8.add(null); // entries are numbered from 1
        for (int i = 1; i < count; i++) {
            int tag = data.readUnsignedByte();
            switch (tag) {
                case 1: // Utf8
                    utf8.add(data.readUTF());
                    continue;
                case 5: // Long
                case 6: // Double: eight bytes, and two entries
                    data.skipBytes(8);
                    utf8.add(null);
                    i++;
                    break;
                case 3: // Integer
                case 4: // Float
                case 9: // Fieldref
                case 10: // Methodref
                case 11: // InterfaceMethodref
                case 12: // NameAndType
                case 17: // Dynamic
                case 18: // InvokeDynamic
                    data.skipBytes(4);
                    break;
                case 15: // MethodHandle
                    data.skipBytes(3);
                    break;
                case 7: // Class
                case 8: // String
                case 16: // MethodType
                case 19: // Module
                case 20: // Package
                    data.skipBytes(2);
                    break;
                default:
                    throw new AssertionError("unknown constant pool tag " + tag + " at entry " + i);
            }
            utf8.add(null);
        }
        return utf8;
    }

    private static void skipMembers(DataInputStream data) throws IOException {
        int members = data.readUnsignedShort();
        for (int m = 0; m < members; m++) {
            data.skipBytes(6); // access flags, name, descriptor
            int attributes = data.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                data.readUnsignedShort(); // name
                data.skipBytes(data.readInt());
            }
        }
    }
}
