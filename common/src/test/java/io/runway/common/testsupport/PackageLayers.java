package io.runway.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layers of a service's packages, top first, checked over its compiled classes: a class may use classes of its own
 * layer entry and of lower layers only. Siblings on one level are written {@code "engine | stream"} and may not use
 * each other. A layer entry covers its subpackages; the service's root package (its application class) sits on top.
 * Every class is read from the constant pool of its class file, so a reference by fully qualified name counts too.
 */
public final class PackageLayers {

    private static final Pattern CLASS_NAME = Pattern.compile("io/runway/[A-Za-z0-9_/$]+");

    private final Class<?> root;
    private final List<List<String>> layers;

    private PackageLayers(Class<?> root, List<List<String>> layers) {
        this.root = root;
        this.layers = layers;
    }

    /**
     * @param root a class in the service's root package, in the classes directory to check
     * @param layersTopDown package names relative to the root, top layer first
     */
    public static PackageLayers of(Class<?> root, String... layersTopDown) {
        var layers = Arrays.stream(layersTopDown)
                .map(level ->
                        Arrays.stream(level.split("\\|")).map(String::trim).toList())
                .toList();
        return new PackageLayers(root, layers);
    }

    /** Fails listing every use that runs upward or sideways, and every package no layer covers. */
    public void assertNoUpwardDependencies() {
        var rootPackage = root.getPackageName();
        var violations = new TreeSet<String>();
        try (Stream<Path> files = Files.walk(classesDirectory())) {
            for (var file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                var from = className(classesDirectory().relativize(file));
                if (!from.startsWith(rootPackage + ".")) {
                    continue;
                }
                var fromEntry = entryOf(relative(rootPackage, from));
                if (fromEntry == null) {
                    violations.add(from + " is in no layer");
                    continue;
                }
                for (var to : referencedClasses(file)) {
                    if (!to.startsWith(rootPackage + ".")) {
                        continue;
                    }
                    var toEntry = entryOf(relative(rootPackage, to));
                    if (toEntry != null && !fromEntry.mayUse(toEntry)) {
                        violations.add(from + " -> " + to);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(violations).as("uses against the layers %s", layers).isEmpty();
    }

    private record Entry(int level, String name) {

        boolean mayUse(Entry other) {
            return other.level > level || (other.level == level && other.name.equals(name)) || name.isEmpty();
        }
    }

    private Entry entryOf(String relativePackage) {
        if (relativePackage.isEmpty()) {
            return new Entry(-1, "");
        }
        Entry best = null;
        for (int level = 0; level < layers.size(); level++) {
            for (var name : layers.get(level)) {
                var covers = relativePackage.equals(name) || relativePackage.startsWith(name + ".");
                if (covers && (best == null || name.length() > best.name.length())) {
                    best = new Entry(level, name);
                }
            }
        }
        return best;
    }

    private static String relative(String rootPackage, String className) {
        var packageName = className.substring(0, className.lastIndexOf('.'));
        return packageName.equals(rootPackage) ? "" : packageName.substring(rootPackage.length() + 1);
    }

    private Path classesDirectory() {
        try {
            return Path.of(
                    root.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String className(Path relativeFile) {
        var name = relativeFile.toString().replace('\\', '/');
        return name.substring(0, name.length() - ".class".length()).replace('/', '.');
    }

    /** Every class named in the constant pool: class entries, field and method descriptors, generic signatures. */
    static Set<String> referencedClasses(Path classFile) throws IOException {
        try (InputStream stream = Files.newInputStream(classFile)) {
            return referencedClasses(new DataInputStream(stream));
        }
    }

    private static Set<String> referencedClasses(DataInputStream in) throws IOException {
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        var texts = new ArrayList<String>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> texts.add(in.readUTF());
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        var classes = new TreeSet<String>();
        for (var text : texts) {
            var matcher = CLASS_NAME.matcher(text);
            while (matcher.find()) {
                classes.add(matcher.group().replace('/', '.'));
            }
        }
        return classes;
    }
}
