// From formbricks: a CORS preflight handler has no use for the ids.
import { responses } from "@/lib/api/response";
import { updateResponse } from "@/lib/response/service";

export const OPTIONS = async (): Promise<Response> => {
  return responses.successResponse({}, true);
};

export const PUT = async (
  request: Request,
  props: { params: Promise<{ workspaceId: string; responseId: string }> }
): Promise<Response> => {
  const params = await props.params;
  const body = await request.json();
  const response = await updateResponse(params.responseId, body);
  return responses.successResponse(response, true);
};
