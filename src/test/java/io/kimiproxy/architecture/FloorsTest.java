package io.kimiproxy.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The five floors: each imports only the floors below it, and no package cycles anywhere. */
class FloorsTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.kimiproxy");
  }

  @Test
  void should_import_only_lower_floors() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("core").definedBy("io.kimiproxy.core..")
        .layer("config").definedBy("io.kimiproxy.config..")
        .layer("features").definedBy("io.kimiproxy.features..")
        .layer("proxy").definedBy("io.kimiproxy.proxy..")
        .layer("services").definedBy("io.kimiproxy.services..")
        .layer("api").definedBy("io.kimiproxy.api..")
        .withOptionalLayers(true)
        .whereLayer("api").mayNotBeAccessedByAnyLayer()
        .whereLayer("services").mayOnlyBeAccessedByLayers("api")
        .whereLayer("features").mayOnlyBeAccessedByLayers("services", "api")
        .whereLayer("proxy").mayOnlyBeAccessedByLayers("services", "api")
        .whereLayer("config").mayOnlyBeAccessedByLayers("features", "proxy", "services", "api")
        .check(classes);
  }

  @Test
  void should_have_no_package_cycles() {
    slices().matching("io.kimiproxy.(**)").should().beFreeOfCycles().check(classes);
  }
}
