/** The one Powertools Logger every function uses (service name and level from POWERTOOLS_* / LOG_LEVEL). */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'greenlight' });
