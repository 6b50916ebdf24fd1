/** What the notify function needs, built once per cold start. */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { NotifyDependencies } from '../app/notifyApprovers';
import { systemClock } from '../app/ports';
import { approvalRendering } from '../channels/approvalRendering';
import { createReviewLinkToken, reviewLinkUrl } from '../channels/reviewLinks';
import { SesEmailSender } from '../channels/sesEmailSender';
import { WebApiSlackNotifier } from '../channels/slackNotifier';
import { notificationRouting } from '../domain/policy';
import { DynamoApprovalStore } from '../store/dynamoApprovalStore';
import { DynamoDeliveryStore } from '../store/dynamoDeliveryStore';
import { createDocumentClient } from './createDocumentClient';
import { requireEnv } from './environment';
import { logger } from './logger';
import { policyDocument } from './policy';
import { reviewLinkKeys } from './secrets';
import { slackClient } from './slack';

export function createNotifyDependencies(): NotifyDependencies {
  const documentClient = createDocumentClient();
  const tableName = requireEnv('APPROVALS_TABLE_NAME');
  const approvals = new DynamoApprovalStore(documentClient, tableName);
  const publicBaseUrl = requireEnv('PUBLIC_BASE_URL');
  return {
    approvals,
    deliveries: new DynamoDeliveryStore(documentClient, tableName),
    slack: new WebApiSlackNotifier(slackClient),
    email: new SesEmailSender(new SESv2Client({}), requireEnv('EMAIL_FROM_ADDRESS')),
    routing: (approval) => notificationRouting(policyDocument, approval),
    // Each link is good until the approval's own deadline.
    reviewLink: async (approvalId, approver) => {
      const approval = await approvals.get(approvalId);
      const expiresAt = new Date(approval?.expiresAt ?? Date.now());
      return reviewLinkUrl(
        publicBaseUrl,
        approvalId,
        createReviewLinkToken(await reviewLinkKeys(), { approvalId, approver, expiresAt }),
      );
    },
    render: approvalRendering(process.env.AWS_REGION ?? 'us-east-1'),
    clock: systemClock,
    log: logger,
    remindAfterSeconds: Number(process.env.REMIND_AFTER_SECONDS ?? 4 * 60 * 60),
    reminderIntervalSeconds: Number(process.env.REMINDER_INTERVAL_SECONDS ?? 4 * 60 * 60),
  };
}
