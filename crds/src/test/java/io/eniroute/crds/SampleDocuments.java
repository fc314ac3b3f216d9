package io.eniroute.crds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sample documents: valid ones in crds/examples/ (they are the user-facing examples too) and
 * invalid ones in src/test/resources/invalid/, each naming in its header the field and the
 * message it must be rejected with, so it cannot pass by being rejected for another reason.
 */
final class SampleDocuments {
  static final Path EXAMPLES = Path.of("examples");
  static final Path INVALID = Path.of("src/test/resources/invalid");

  /** An invalid sample and the rejection it must get. */
  record Invalid(Path file, String yaml, String expectedField, String expectedMessage) {
    @Override
    public String toString() {
      return file.getFileName().toString();
    }
  }

  private static final Pattern FIELD = Pattern.compile("(?m)^# expect-field: (\\S+)\\s*$");
  private static final Pattern MESSAGE = Pattern.compile("(?m)^# expect-message: (.+?)\\s*$");

  private SampleDocuments() {}

  static List<Path> examples() {
    return yamlFiles(EXAMPLES);
  }

  static List<Invalid> invalid() {
    return yamlFiles(INVALID).stream().map(SampleDocuments::parseInvalid).toList();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Invalid parseInvalid(Path file) {
    String yaml = read(file);
    Matcher field = FIELD.matcher(yaml);
    Matcher message = MESSAGE.matcher(yaml);
    if (!field.find() || !message.find()) {
      throw new IllegalStateException(file + " needs '# expect-field: <path>' and '# expect-message: <text>' header lines");
    }
    return new Invalid(file, yaml, field.group(1), message.group(1));
  }

  private static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
