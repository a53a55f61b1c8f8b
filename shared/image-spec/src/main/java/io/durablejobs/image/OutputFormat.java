package io.durablejobs.image;

/** What the transform writes. */
public enum OutputFormat {
    PNG("png", "image/png", "png"),
    JPEG("jpeg", "image/jpeg", "jpg");

    private final String imageIoName;
    private final String contentType;
    private final String extension;

    OutputFormat(String imageIoName, String contentType, String extension) {
        this.imageIoName = imageIoName;
        this.contentType = contentType;
        this.extension = extension;
    }

    public String imageIoName() {
        return imageIoName;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }
}
