package io.kimiproxy.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five floors, core < config < proxy < features < api: each imports only the floors below
 * it; no package cycles anywhere, and no two classes that use each other.
 */
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
        .layer("proxy").definedBy("io.kimiproxy.proxy..")
        .layer("features").definedBy("io.kimiproxy.features..")
        .layer("api").definedBy("io.kimiproxy.api..")
        .whereLayer("api").mayNotBeAccessedByAnyLayer()
        .whereLayer("features").mayOnlyBeAccessedByLayers("api")
        .whereLayer("proxy").mayOnlyBeAccessedByLayers("features", "api")
        .whereLayer("config").mayOnlyBeAccessedByLayers("proxy", "features", "api")
        .check(classes);
  }

  @Test
  void should_have_no_package_cycles() {
    slices().matching("io.kimiproxy.(**)").should().beFreeOfCycles().check(classes);
  }

  /** A class and its nested classes count as one; two top-level classes must not use each other. */
  @Test
  void should_have_no_two_classes_using_each_other() {
    Set<String> pairs = new TreeSet<>();
    for (JavaClass type : classes) {
      String self = topLevel(type);
      for (Dependency d : type.getDirectDependenciesFromSelf()) {
        String other = topLevel(d.getTargetClass());
        if (other.equals(self) || !other.startsWith("io.kimiproxy.")) continue;
        if (uses(other, self)) pairs.add(self.compareTo(other) < 0 ? self + " <-> " + other : other + " <-> " + self);
      }
    }
    assertEquals(List.of(), new ArrayList<>(pairs), "classes that use each other");
  }

  private static boolean uses(String from, String to) {
    for (JavaClass type : classes) {
      if (!topLevel(type).equals(from)) continue;
      for (Dependency d : type.getDirectDependenciesFromSelf()) {
        if (topLevel(d.getTargetClass()).equals(to)) return true;
      }
    }
    return false;
  }

  private static String topLevel(JavaClass type) {
    String name = type.getName();
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }
}
