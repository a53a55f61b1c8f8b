package io.durablejobs.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePayloadTest {

    static List<FieldError> validate(String json) throws Exception {
        return ImagePayload.validate(Json.MAPPER.readTree(json), false);
    }

    @Test
    void aFullPayload_isValid() throws Exception {
        assertThat(validate("{\"source\":{\"url\":\"https://img.example/a.jpg\"},\"format\":\"jpeg\",\"quality\":80,"
                + "\"operations\":[{\"op\":\"resize\",\"width\":400,\"height\":300,\"fit\":\"cover\"},"
                + "{\"op\":\"crop\",\"x\":0,\"y\":0,\"width\":10,\"height\":10},{\"op\":\"rotate\",\"degrees\":-90},"
                + "{\"op\":\"grayscale\"}],\"output\":{\"blob\":\"thumbs/a.jpg\"}}")).isEmpty();
    }

    @Test
    void everyProblem_isNamedByField() throws Exception {
        assertThat(validate("{\"source\":{\"url\":\"ftp://x/a\"},\"format\":\"gif\",\"quality\":0,"
                + "\"operations\":[{\"op\":\"resize\"},{\"op\":\"rotate\",\"degrees\":45},{\"op\":\"blur\"}],"
                + "\"output\":{\"blob\":\"../t2/x\"},\"extra\":1}"))
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("payload.extra", "payload.source.url", "payload.format", "payload.quality",
                        "payload.operations[0]", "payload.operations[1].degrees", "payload.operations[2].op", "payload.output.blob");
    }

    @Test
    void source_needsExactlyOneKind_andValidBase64OrKey() throws Exception {
        assertThat(validate("{\"source\":{},\"format\":\"png\"}")).extracting(FieldError::field).containsExactly("payload.source");
        assertThat(validate("{\"source\":{\"url\":\"https://a/b\",\"blob\":\"x\"},\"format\":\"png\"}")).hasSize(1);
        assertThat(validate("{\"source\":{\"base64\":\"***\"},\"format\":\"png\"}")).extracting(FieldError::field)
                .containsExactly("payload.source.base64");
        assertThat(validate("{\"source\":{\"blob\":\"a/../b\"},\"format\":\"png\"}")).extracting(FieldError::field)
                .containsExactly("payload.source.blob");
        assertThat(validate("{\"source\":{\"url\":\"https://user:pw@a/b\"},\"format\":\"png\"}")).hasSize(1);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "http://img.example/a.jpg", "https://img.example/a.jpg#frag", "https://img.example/a.jpg#",
        "https://0177.0.0.1/a.jpg", "https://0x7f.1/a.jpg", "https://127.1/a.jpg", "https://2130706433/a.jpg"})
    void aSourceUrlTheWorkerWouldRefuseOrReadDifferently_isRefusedAtSubmit(String url) throws Exception {
        assertThat(validate("{\"source\":{\"url\":\"" + url + "\"},\"format\":\"png\"}")).as(url)
                .extracting(FieldError::field).containsExactly("payload.source.url");
    }

    @Test
    void plainHttpSourceUrls_onlyWherePrivateNetworksAreAllowed_likeTheWorker() throws Exception {
        String json = "{\"source\":{\"url\":\"http://127.0.0.1:8080/a.png\"},\"format\":\"png\"}";
        assertThat(validate(json)).hasSize(1);
        assertThat(ImagePayload.validate(Json.MAPPER.readTree(json), true)).isEmpty();
        // The spec reads the setting once, in the environment of the function being built.
        ImageTransformSpec allowing = io.durablejobs.core.config.Env.with(java.util.Map.of(ImageSettings.ALLOW_PRIVATE_NETWORKS, "true"),
                ImageTransformSpec::new);
        assertThat(allowing.validate(Json.MAPPER.readTree(json))).isEmpty();
        assertThat(new ImageTransformSpec().validate(Json.MAPPER.readTree(json))).hasSize(1);
    }

    @Test
    void subsampling_onlyForADownscaleFirst() {
        var resize = new Operation.Resize(400, null, Fit.CONTAIN);
        assertThat(ImageDecoder.subsampling(4000, 3000, 1, List.of(resize))).isEqualTo(5);
        assertThat(ImageDecoder.subsampling(4000, 3000, 1, List.of(new Operation.Grayscale(), resize))).isEqualTo(5);
        assertThat(ImageDecoder.subsampling(4000, 3000, 1, List.of(new Operation.Crop(0, 0, 10, 10), resize))).isEqualTo(1);
        assertThat(ImageDecoder.subsampling(4000, 3000, 1, List.of(new Operation.Resize(3000, null, Fit.CONTAIN)))).isEqualTo(1);
        // EXIF orientation 6 swaps the axes: 400 wide of an upright 3000x4000 is a scale of 400/3000.
        assertThat(ImageDecoder.subsampling(4000, 3000, 6, List.of(resize))).isEqualTo(3);
    }
}
