package conformance

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// InputFromJSON turns a Converse request body, as it is on the wire, into the SDK's input,
// so a case can send exactly the request of a recording. It covers the members the
// recordings use: messages with text, image, document, video, toolUse, toolResult,
// reasoningContent, guardContent and cachePoint blocks; system; inferenceConfig;
// toolConfig (toolSpec, systemTool, cachePoint; toolChoice); guardrailConfig;
// additionalModelRequestFields; requestMetadata. It fails on anything else rather than
// send a different request.
func InputFromJSON(body string) (bedrockruntime.ConverseInput, error) {
	var req emulator.ConverseRequest
	if err := json.Unmarshal([]byte(body), &req); err != nil {
		return bedrockruntime.ConverseInput{}, fmt.Errorf("request body: %w", err)
	}
	var in bedrockruntime.ConverseInput
	var err error
	if req.Messages != nil {
		in.Messages = []types.Message{}
	}
	for i, m := range req.Messages {
		msg := types.Message{Role: types.ConversationRole(m.Role), Content: []types.ContentBlock{}}
		for j, b := range m.Content {
			cb, err := contentBlock(b)
			if err != nil {
				return in, fmt.Errorf("messages.%d.content.%d: %w", i, j, err)
			}
			msg.Content = append(msg.Content, cb)
		}
		in.Messages = append(in.Messages, msg)
	}
	if req.System != nil {
		in.System = []types.SystemContentBlock{}
	}
	for i, s := range req.System {
		switch {
		case s.Text != nil:
			in.System = append(in.System, &types.SystemContentBlockMemberText{Value: *s.Text})
		case s.CachePoint != nil:
			in.System = append(in.System, &types.SystemContentBlockMemberCachePoint{Value: cachePoint(s.CachePoint)})
		default:
			return in, fmt.Errorf("system.%d: unsupported block", i)
		}
	}
	if ic := req.InferenceConfig; ic != nil {
		in.InferenceConfig = &types.InferenceConfiguration{StopSequences: ic.StopSequences}
		if ic.MaxTokens != nil {
			in.InferenceConfig.MaxTokens = aws.Int32(int32(*ic.MaxTokens))
		}
		if ic.Temperature != nil {
			in.InferenceConfig.Temperature = aws.Float32(float32(*ic.Temperature))
		}
		if ic.TopP != nil {
			in.InferenceConfig.TopP = aws.Float32(float32(*ic.TopP))
		}
	}
	if tc := req.ToolConfig; tc != nil {
		if in.ToolConfig, err = toolConfig(tc); err != nil {
			return in, err
		}
	}
	if g := req.GuardrailConfig; g != nil {
		in.GuardrailConfig = &types.GuardrailConfiguration{
			GuardrailIdentifier: aws.String(g.GuardrailIdentifier),
			GuardrailVersion:    aws.String(g.GuardrailVersion),
			Trace:               types.GuardrailTrace(g.Trace),
		}
	}
	if req.AdditionalModelRequestFields != nil {
		in.AdditionalModelRequestFields = rawDoc(req.AdditionalModelRequestFields)
	}
	in.RequestMetadata = req.RequestMetadata
	if oc := req.OutputConfig; oc != nil {
		if in.OutputConfig, err = outputConfig(oc); err != nil {
			return in, err
		}
	}
	if req.PromptVariables != nil || req.PerformanceConfig != nil || req.ServiceTier != nil || req.AdditionalModelResponseFieldPaths != nil {
		return in, fmt.Errorf("request body: a member InputFromJSON does not convert")
	}
	return in, nil
}

// mustInput is InputFromJSON for the built-in cases, whose bodies are known to convert.
func mustInput(body string) bedrockruntime.ConverseInput {
	in, err := InputFromJSON(body)
	if err != nil {
		panic("conformance: " + err.Error())
	}
	return in
}

func contentBlock(b emulator.ContentBlock) (types.ContentBlock, error) {
	switch {
	case b.Text != nil:
		return &types.ContentBlockMemberText{Value: *b.Text}, nil
	case b.Image != nil:
		src, err := imageSource(b.Image.Source)
		return &types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormat(b.Image.Format), Source: src}}, err
	case b.Document != nil:
		d, err := documentBlock(b.Document)
		return &types.ContentBlockMemberDocument{Value: d}, err
	case b.Video != nil:
		src, err := videoSource(b.Video.Source)
		return &types.ContentBlockMemberVideo{Value: types.VideoBlock{Format: types.VideoFormat(b.Video.Format), Source: src}}, err
	case b.ToolUse != nil:
		return &types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
			ToolUseId: aws.String(b.ToolUse.ToolUseID), Name: aws.String(b.ToolUse.Name), Input: rawDoc(b.ToolUse.Input),
		}}, nil
	case b.ToolResult != nil:
		r := types.ToolResultBlock{ToolUseId: aws.String(b.ToolResult.ToolUseID), Status: types.ToolResultStatus(b.ToolResult.Status), Content: []types.ToolResultContentBlock{}}
		for k, c := range b.ToolResult.Content {
			rc, err := toolResultContent(c)
			if err != nil {
				return nil, fmt.Errorf("toolResult.content.%d: %w", k, err)
			}
			r.Content = append(r.Content, rc)
		}
		return &types.ContentBlockMemberToolResult{Value: r}, nil
	case b.ReasoningContent != nil && b.ReasoningContent.ReasoningText != nil:
		t := b.ReasoningContent.ReasoningText
		rt := types.ReasoningTextBlock{Text: aws.String(t.Text)}
		if t.Signature != "" {
			rt.Signature = aws.String(t.Signature)
		}
		return &types.ContentBlockMemberReasoningContent{Value: &types.ReasoningContentBlockMemberReasoningText{Value: rt}}, nil
	case b.GuardContent != nil && b.GuardContent.Text != nil:
		return &types.ContentBlockMemberGuardContent{Value: &types.GuardrailConverseContentBlockMemberText{Value: types.GuardrailConverseTextBlock{Text: aws.String(b.GuardContent.Text.Text)}}}, nil
	case b.CachePoint != nil:
		return &types.ContentBlockMemberCachePoint{Value: cachePoint(b.CachePoint)}, nil
	}
	return nil, fmt.Errorf("unsupported content block")
}

func toolResultContent(c emulator.ToolResultContentBlock) (types.ToolResultContentBlock, error) {
	switch {
	case c.JSON != nil:
		return &types.ToolResultContentBlockMemberJson{Value: rawDoc(c.JSON)}, nil
	case c.Text != nil:
		return &types.ToolResultContentBlockMemberText{Value: *c.Text}, nil
	case c.Image != nil:
		src, err := imageSource(c.Image.Source)
		return &types.ToolResultContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormat(c.Image.Format), Source: src}}, err
	case c.Document != nil:
		d, err := documentBlock(c.Document)
		return &types.ToolResultContentBlockMemberDocument{Value: d}, err
	case c.Video != nil:
		src, err := videoSource(c.Video.Source)
		return &types.ToolResultContentBlockMemberVideo{Value: types.VideoBlock{Format: types.VideoFormat(c.Video.Format), Source: src}}, err
	}
	return nil, fmt.Errorf("unsupported tool result content")
}

func s3(l *emulator.S3Location) types.S3Location {
	loc := types.S3Location{Uri: aws.String(l.URI)}
	if l.BucketOwner != "" {
		loc.BucketOwner = aws.String(l.BucketOwner)
	}
	return loc
}

func imageSource(s emulator.MediaSource) (types.ImageSource, error) {
	switch {
	case s.S3Location != nil:
		return &types.ImageSourceMemberS3Location{Value: s3(s.S3Location)}, nil
	case s.Bytes != nil:
		return &types.ImageSourceMemberBytes{Value: s.Bytes}, nil
	}
	return nil, fmt.Errorf("image source has neither bytes nor s3Location")
}

func videoSource(s emulator.MediaSource) (types.VideoSource, error) {
	switch {
	case s.S3Location != nil:
		return &types.VideoSourceMemberS3Location{Value: s3(s.S3Location)}, nil
	case s.Bytes != nil:
		return &types.VideoSourceMemberBytes{Value: s.Bytes}, nil
	}
	return nil, fmt.Errorf("video source has neither bytes nor s3Location")
}

func documentBlock(d *emulator.DocumentBlock) (types.DocumentBlock, error) {
	out := types.DocumentBlock{Name: aws.String(d.Name), Format: types.DocumentFormat(d.Format)}
	switch {
	case d.Source.S3Location != nil:
		out.Source = &types.DocumentSourceMemberS3Location{Value: s3(d.Source.S3Location)}
	case d.Source.Bytes != nil:
		out.Source = &types.DocumentSourceMemberBytes{Value: d.Source.Bytes}
	case d.Source.Text != nil:
		out.Source = &types.DocumentSourceMemberText{Value: *d.Source.Text}
	default:
		return out, fmt.Errorf("document source has no bytes, s3Location or text")
	}
	if d.Citations != nil {
		out.Citations = &types.CitationsConfig{Enabled: aws.Bool(d.Citations.Enabled)}
	}
	return out, nil
}

// outputConfig converts outputConfig: a textFormat of type json_schema.
func outputConfig(oc *emulator.OutputConfig) (*types.OutputConfig, error) {
	var f struct {
		Type      string `json:"type"`
		Structure struct {
			JSONSchema *struct {
				Schema      string  `json:"schema"`
				Name        string  `json:"name"`
				Description *string `json:"description"`
			} `json:"jsonSchema"`
		} `json:"structure"`
	}
	if err := json.Unmarshal(oc.TextFormat, &f); err != nil || f.Structure.JSONSchema == nil {
		return nil, fmt.Errorf("outputConfig.textFormat: not a json_schema format InputFromJSON converts (%v)", err)
	}
	js := f.Structure.JSONSchema
	return &types.OutputConfig{TextFormat: &types.OutputFormat{Type: types.OutputFormatType(f.Type),
		Structure: &types.OutputFormatStructureMemberJsonSchema{Value: types.JsonSchemaDefinition{
			Schema: aws.String(js.Schema), Name: aws.String(js.Name), Description: js.Description}}}}, nil
}

func cachePoint(c *emulator.CachePointBlock) types.CachePointBlock {
	return types.CachePointBlock{Type: types.CachePointType(c.Type)}
}

func toolConfig(tc *emulator.ToolConfig) (*types.ToolConfiguration, error) {
	out := &types.ToolConfiguration{Tools: []types.Tool{}}
	for i, t := range tc.Tools {
		switch {
		case t.ToolSpec != nil:
			spec := types.ToolSpecification{Name: aws.String(t.ToolSpec.Name), InputSchema: &types.ToolInputSchemaMemberJson{Value: rawDoc(t.ToolSpec.InputSchema.JSON)}}
			if t.ToolSpec.Description != "" {
				spec.Description = aws.String(t.ToolSpec.Description)
			}
			out.Tools = append(out.Tools, &types.ToolMemberToolSpec{Value: spec})
		case t.SystemTool != nil:
			out.Tools = append(out.Tools, &types.ToolMemberSystemTool{Value: types.SystemTool{Name: aws.String(t.SystemTool.Name)}})
		case t.CachePoint != nil:
			out.Tools = append(out.Tools, &types.ToolMemberCachePoint{Value: cachePoint(t.CachePoint)})
		default:
			return nil, fmt.Errorf("toolConfig.tools.%d: unsupported tool", i)
		}
	}
	if ch := tc.ToolChoice; ch != nil {
		switch {
		case ch.Auto != nil:
			out.ToolChoice = &types.ToolChoiceMemberAuto{}
		case ch.Any != nil:
			out.ToolChoice = &types.ToolChoiceMemberAny{}
		case ch.Tool != nil:
			out.ToolChoice = choiceTool(ch.Tool.Name)
		}
	}
	return out, nil
}
