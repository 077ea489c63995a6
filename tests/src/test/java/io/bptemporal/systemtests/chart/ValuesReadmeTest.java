package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every value is documented in place, and chart/README.md is what the generator makes of values.yaml. */
class ValuesReadmeTest {

    private static Path chartDir() {
        return RenderCases.chart().chartSource();
    }

    @Test
    void everyLeafOfValuesYamlIsDocumented() throws IOException {
        String text = Files.readString(chartDir().resolve("values.yaml"));
        List<ValuesReadme.Documented> documented = ValuesReadme.documentedKeys(text);
        assertThat(documented).hasSizeGreaterThan(50);
        assertThat(ValuesReadme.undocumentedLeaves(new YAMLMapper().readTree(text), documented))
                .as("keys without a '# --' comment on them or on an enclosing map").isEmpty();
    }

    @Test
    void theGeneratorFindsNestedAndQuotedKeys() {
        String yaml = """
                # -- top
                a:
                  # -- nested
                  b: 1
                  list:
                    - name: x
                      # -- not a key of values, inside a list item
                      c: 2
                  # -- after the list
                  d: true
                """;
        assertThat(ValuesReadme.documentedKeys(yaml)).extracting(ValuesReadme.Documented::dotted).containsExactly("a", "a.b", "a.d");
    }

    @Test
    void readmeIsUpToDate() throws IOException {
        String expected = ValuesReadme.render(chartDir());
        String actual = Files.exists(chartDir().resolve("README.md")) ? Files.readString(chartDir().resolve("README.md")) : "";
        assertThat(actual).as("chart/README.md is out of date with chart/values.yaml; regenerate it with: " + ValuesReadme.REGENERATE)
                .isEqualTo(expected);
    }
}
