// The request media types the API parses besides JSON.

/** The media types YAML goes by: RFC 9512's, and the two that tools still send. */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'] as const;
