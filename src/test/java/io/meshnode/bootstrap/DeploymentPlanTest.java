package io.meshnode.bootstrap;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Profiles of verticles.json: which entries a full and a client node deploy. */
class DeploymentPlanTest {

  private static JsonObject shipped() throws IOException {
    return new JsonObject(Files.readString(Path.of("verticles.json")));
  }

  private static JsonObject twoEntries() {
    return new JsonObject().put("verticles", new JsonArray()
      .add(new JsonObject().put("name", "a").put("class", "x.A"))
      .add(new JsonObject().put("name", "b").put("class", "x.B")));
  }

  @Test
  @DisplayName("the shipped full profile deploys the data and resilience group, the announcer, web and subscriptions")
  void shouldDeployEverythingOnAFullNode() throws IOException {
    DeploymentPlan plan = DeploymentPlan.fromJson(shipped());
    assertThat(plan.profile()).isEqualTo(DeploymentPlan.FULL);
    assertThat(plan.entries()).extracting(DeploymentPlan.Entry::name)
      .containsExactly("data+resilience", "cluster-announcer", "web", "kafka-subscriptions");
    assertThat(plan.entries().get(0).classNames()).contains("io.meshnode.resilience.ResilienceVerticle");
  }

  @Test
  @DisplayName("the shipped client profile deploys the web verticle only")
  void shouldDeployOnlyWebOnAClientNode() throws IOException {
    DeploymentPlan plan = DeploymentPlan.fromJson(shipped(), "client");
    assertThat(plan.entries()).extracting(DeploymentPlan.Entry::name).containsExactly("web");
  }

  @Test
  @DisplayName("an unknown profile is refused, naming the ones declared")
  void shouldRejectAnUnknownProfile() {
    assertThatThrownBy(() -> DeploymentPlan.fromJson(shipped(), "edge"))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("invalid profile 'edge'").hasMessageContaining("full").hasMessageContaining("client");
  }

  @Test
  @DisplayName("a descriptor without profiles deploys every entry as 'full' and knows no other profile")
  void shouldTreatADescriptorWithoutProfilesAsFull() {
    assertThat(DeploymentPlan.fromJson(twoEntries()).entries()).hasSize(2);
    assertThatThrownBy(() -> DeploymentPlan.fromJson(twoEntries(), "client"))
      .hasMessageContaining("declares no 'profiles'");
  }

  @Test
  @DisplayName("a profile naming an entry that does not exist is refused, naming it")
  void shouldRejectAProfileWithAnUnknownEntry() {
    JsonObject descriptor = twoEntries().put("profiles", new JsonObject()
      .put("full", new JsonArray().add("a").add("c")));
    assertThatThrownBy(() -> DeploymentPlan.fromJson(descriptor))
      .hasMessageContaining("profiles.full names 'c'");
  }

  @Test
  @DisplayName("a profile deploys its entries in the descriptor's order")
  void shouldKeepTheDescriptorOrder() {
    JsonObject descriptor = twoEntries().put("profiles", new JsonObject()
      .put("full", new JsonArray().add("b").add("a")));
    assertThat(DeploymentPlan.fromJson(descriptor).entries()).extracting(DeploymentPlan.Entry::name)
      .containsExactly("a", "b");
  }
}
