/**
 * Slack interactivity (buttons and the comment modal): verifies X-Slack-Signature and that the payload comes from the
 * configured workspace and app (`team.id` = SLACK_TEAM_ID, `api_app_id` = SLACK_APP_ID, each when set; refused as a
 * bad signature, 401), then applies the interaction through the decide use case and answers Slack at once (200; modal
 * errors as `response_action: errors`).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { applySlackInteraction, type SlackInteraction } from '../shared/app/applySlackInteraction';
import { approvalRendering } from '../shared/channels/approvalRendering';
import { WebApiSlackNotifier } from '../shared/channels/slackNotifier';
import { verifySlackOrigin, verifySlackSignature } from '../shared/channels/slackSignature';
import { APPROVAL_ID_PATTERN } from '../shared/domain/approval';
import * as z from '../shared/domain/zodMini';
import { createDecisionDependencies } from '../shared/runtime/decisionDependencies';
import { MalformedJsonError } from '../shared/runtime/errors';
import { jsonErrorResponses } from '../shared/runtime/httpErrorMiddlewares';
import { assertBodyWithin, parseFormBody, parseWith, rawBody } from '../shared/runtime/httpRequest';
import { jsonResponse } from '../shared/runtime/httpResponses';
import { logger } from '../shared/runtime/logger';
import { slackClient, slackOrigin, slackSigningSecret } from '../shared/runtime/slack';

const dependencies = {
  ...createDecisionDependencies(),
  slack: new WebApiSlackNotifier(slackClient),
  render: approvalRendering(process.env.AWS_REGION ?? 'us-east-1'),
};
const MAX_BODY_BYTES = 64 * 1024;

const approvalId = z.string().check(z.regex(APPROVAL_ID_PATTERN, 'must be an approval id'));
const slackUser = z.object({ id: z.string().check(z.minLength(1)) });
const decisions = { 'greenlight.approve': 'approve', 'greenlight.reject': 'reject' } as const;

const blockActions = z.object({
  type: z.literal('block_actions'),
  user: slackUser,
  trigger_id: z.optional(z.string()),
  channel: z.optional(z.object({ id: z.string() })),
  actions: z
    .array(
      z.object({
        action_id: z.enum(['greenlight.approve', 'greenlight.reject', 'greenlight.comment']),
        value: approvalId,
      }),
    )
    .check(z.minLength(1)),
});
const viewSubmission = z.object({
  type: z.literal('view_submission'),
  user: slackUser,
  view: z.object({
    callback_id: z.literal('greenlight.comment'),
    private_metadata: approvalId,
    state: z.object({
      values: z.object({
        decision: z.object({
          decision: z.object({ selected_option: z.object({ value: z.enum(['approve', 'reject']) }) }),
        }),
        comment: z.optional(z.object({ comment: z.object({ value: z.nullish(z.string().check(z.maxLength(1000))) }) })),
      }),
    }),
  }),
});
const interactionPayload = z.discriminatedUnion('type', [blockActions, viewSubmission]);

function toInteraction(payload: z.output<typeof interactionPayload>): SlackInteraction {
  if (payload.type === 'view_submission') {
    const { values } = payload.view.state;
    const comment = values.comment?.comment.value?.trim();
    return {
      kind: 'comment-submitted',
      approvalId: payload.view.private_metadata,
      decision: values.decision.decision.selected_option.value,
      user: payload.user.id,
      ...(comment ? { comment } : {}),
    };
  }
  const [action] = payload.actions as [(typeof payload.actions)[number]];
  if (action.action_id === 'greenlight.comment') {
    return { kind: 'open-comment-modal', approvalId: action.value, triggerId: payload.trigger_id ?? '' };
  }
  return {
    kind: 'decision',
    approvalId: action.value,
    decision: decisions[action.action_id],
    user: payload.user.id,
    ...(payload.channel ? { channel: payload.channel.id } : {}),
  };
}

export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(jsonErrorResponses(logger))
  .handler(async (event) => {
    assertBodyWithin(event, MAX_BODY_BYTES);
    verifySlackSignature(await slackSigningSecret(), {
      timestamp: event.headers?.['x-slack-request-timestamp'],
      signature: event.headers?.['x-slack-signature'],
      rawBody: rawBody(event),
      now: dependencies.clock.now(),
    });
    const { payload } = parseFormBody(event, z.object({ payload: z.string().check(z.minLength(2)) }));
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (error) {
      throw new MalformedJsonError({ cause: error });
    }
    verifySlackOrigin(slackOrigin(), parsed);
    const reply = await applySlackInteraction(
      dependencies,
      toInteraction(parseWith(interactionPayload, parsed, ['payload'])),
    );
    return reply ? jsonResponse(200, reply) : { statusCode: 200, body: '' };
  });
