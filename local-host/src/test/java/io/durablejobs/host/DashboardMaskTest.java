package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import org.junit.jupiter.api.Test;

/** What the dashboard masks: values under secret-looking keys at any depth; and what its jobs list passes on to the API. */
class DashboardMaskTest {
    @Test
    void secretLookingKeys_areMaskedAtAnyDepth_whateverTheirValue_andNothingElseChanges() throws Exception {
        JsonNode in = Json.MAPPER.readTree("""
                {"url":"https://example.com/h","headers":{"Authorization":"Bearer abc","X-API-KEY":"k1","X-Trace":"t"},
                 "body":{"user":{"password":"p","name":"ada"},"items":[{"api_key":"k2"},{"apikey":"k3","qty":2}],
                         "refresh_token":{"nested":"x"},"client_secret":42,"tokenCount":7,"note":"my password is not a key"},
                 "DB_PASSWORD":null}""");
        JsonNode out = DashboardMask.mask(in);
        String m = DashboardMask.MASK;
        assertThat(out.at("/headers/Authorization").asText()).isEqualTo(m);
        assertThat(out.at("/headers/X-API-KEY").asText()).isEqualTo(m);
        assertThat(out.at("/headers/X-Trace").asText()).isEqualTo("t");
        assertThat(out.at("/body/user/password").asText()).isEqualTo(m);
        assertThat(out.at("/body/user/name").asText()).isEqualTo("ada");
        assertThat(out.at("/body/items/0/api_key").asText()).isEqualTo(m);
        assertThat(out.at("/body/items/1/apikey").asText()).isEqualTo(m);
        assertThat(out.at("/body/items/1/qty").asInt()).isEqualTo(2);
        assertThat(out.at("/body/refresh_token").asText()).isEqualTo(m);
        assertThat(out.at("/body/client_secret").asText()).isEqualTo(m);
        assertThat(out.at("/body/tokenCount").asText()).isEqualTo(m); // looks like a secret by its name: masked too
        assertThat(out.at("/body/note").asText()).isEqualTo("my password is not a key"); // values are not judged, keys are
        assertThat(out.at("/DB_PASSWORD").asText()).isEqualTo(m);
        assertThat(out.at("/url").asText()).isEqualTo("https://example.com/h");
        assertThat(in.at("/headers/Authorization").asText()).isEqualTo("Bearer abc"); // a copy: the input is untouched
        assertThat(DashboardMask.mask(null)).isNull();
    }

    @Test
    void theJobsListPassesOnOnlyTheListRoutesFilters_reEncoded() {
        assertThat(DashboardHandler.listQuery(null)).isEmpty();
        assertThat(DashboardHandler.listQuery("status=dead_lettered&type=webhook.deliver&limit=50"))
                .isEqualTo("?status=dead_lettered&type=webhook.deliver&limit=50");
        assertThat(DashboardHandler.listQuery("status=&type=a%26b&evil=1&cursor=x%2Fy")).isEqualTo("?type=a%26b&cursor=x%2Fy");
    }
}
