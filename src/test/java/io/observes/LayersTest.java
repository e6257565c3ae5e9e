package io.observes;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Packages depend one way, from the top floor down (README, "Packages depend one way"): a package
 * uses only packages on floors below its own, never one above it nor a sibling on its floor. Read
 * from the compiled classes, so a fully qualified name in code counts as much as an import.
 */
class LayersTest {
  static final List<List<String>> FLOORS = List.of(
      List.of("cli"),
      List.of("jobs"),
      // The demo's export stand-in writes DynamoDB JSON with the dynamo ETL's codec.
      List.of("demo"),
      List.of("etl"),
      List.of("pipeline", "batch", "metrics", "alert"),
      List.of("warehouse", "state", "secrets", "http"),
      List.of("storage", "aws"),
      List.of("config", "text"));

  /** One rule per package: none of its classes use a class of a package on its floor or above. */
  static List<ArchRule> rules() {
    List<ArchRule> rules = new ArrayList<>();
    List<String> above = new ArrayList<>();
    for (List<String> floor : FLOORS) {
      for (String pkg : floor) {
        List<String> forbidden = new ArrayList<>(above);
        floor.stream().filter(p -> !p.equals(pkg)).forEach(forbidden::add);
        if (!forbidden.isEmpty()) {
          rules.add(noClasses().that().resideInAPackage("io.observes." + pkg + "..").should().dependOnClassesThat()
              .resideInAnyPackage(forbidden.stream().map(p -> "io.observes." + p + "..").toArray(String[]::new))
              .because(pkg + " is below " + String.join(", ", forbidden)).allowEmptyShould(true));
        }
      }
      above.addAll(floor);
    }
    return rules;
  }

  static List<String> violations(JavaClasses classes) {
    List<String> found = new ArrayList<>();
    for (ArchRule rule : rules()) {
      EvaluationResult result = rule.evaluate(classes);
      found.addAll(result.getFailureReport().getDetails());
    }
    return found;
  }

  @Test
  void everyPackageUsesOnlyTheFloorsBelowIt() {
    JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.observes");
    assertThat(main.size()).as("the main classes were read").isGreaterThan(300);
    assertThat(violations(main)).as("dependencies that run back up").isEmpty();
  }

  @Test
  void theRulesCatchABackArrowLikeTheOneThatWasHere() {
    // A warehouse class that uses the pipeline's schema, as warehouse used pipeline.schema.ColumnType.
    JavaClasses withBackArrow = new ClassFileImporter().importClasses(io.observes.warehouse.BackArrowSample.class,
        io.observes.pipeline.schema.Schema.class);
    assertThat(violations(withBackArrow)).anySatisfy(v -> assertThat(v).contains("BackArrowSample", "Schema"));
  }
}
