// Package catalog is the emulator's model catalogue: which Bedrock text models exist, what
// each accepts and supports through Converse and ConverseStream, the conversation rules that
// differ between them, and how a modelId from a request path resolves to one of them.
//
// The catalogue is data. The built-in one is models.json in this package, embedded and
// parsed once by Default; Load reads a complete file of the same shape, and Merge lays a
// user's file over a catalogue, so users add models, change a field of a built-in one, and
// map opaque ARNs (application inference profiles, provisioned and custom models) to
// models with "aliases". The JSON field names are those of Model.
//
// Resolve accepts every identifier form Bedrock accepts in the Converse path: foundation
// model IDs, cross-Region inference profile IDs (us., eu., apac., jp., au., global., …),
// and ARNs of any partition. It answers ErrInvalidModel and ErrNeedsProfile where Bedrock
// answers "The provided model identifier is invalid." and "Invocation of model ID … with
// on-demand throughput isn’t supported. …"; BedrockMessage returns those messages.
//
// Where the catalogue differs from the service:
//   - Bedrock decides per Region whether a model runs on demand and which profiles exist;
//     the catalogue has one answer for all Regions (on demand if any Region allows it).
//   - Opaque ARNs that no alias maps resolve to a permissive generic model, where Bedrock
//     would use the model behind the resource, or answer that the resource does not exist.
//   - Values no public source confirmed are the permissive choice (accept, not reject);
//     each model's notes and the file's sources say where values come from.
package catalog
