package io.eniroute.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/aws.md holds the project's one IAM policy; an admin pastes it as is, so it must grant
 * exactly the EC2 actions the operator calls (every call goes through an {@link Ec2Action}).
 */
class AwsDocsIamPolicyTest {
  private static final Path AWS_MD = Path.of("../docs/aws.md");

  @Test
  void theDocumentedPolicyGrantsExactlyTheEc2ActionsTheOperatorCalls() throws IOException {
    String doc = Files.readString(AWS_MD);
    String section = doc.substring(doc.indexOf("## Minimal IAM policy"));
    Matcher json = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(json.find()).as("a ```json block under '## Minimal IAM policy' in %s", AWS_MD).isTrue();
    JsonNode policy = new ObjectMapper().readTree(json.group(1));

    Set<String> granted = new TreeSet<>();
    for (JsonNode statement : policy.path("Statement")) {
      JsonNode action = statement.path("Action");
      if (action.isArray()) {
        action.forEach(a -> granted.add(a.asText()));
      } else {
        granted.add(action.asText());
      }
    }
    Set<String> called = Arrays.stream(Ec2Action.values()).map(a -> "ec2:" + a.apiName())
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(granted).isEqualTo(called);
  }
}
