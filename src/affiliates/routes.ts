import { z } from 'zod';
import { errorResponses } from '../api/schemas.js';
import type { Ctx } from '../context.js';
import type { App } from '../server.js';
import { affiliateStatuses, signUpInput } from './schema.js';
import { signUp } from './sign-up.js';

const signUpBody = signUpInput.required({ password: true }).meta({ id: 'SignUp' });
const signUpResponse = z
  .object({
    id: z.string(),
    email: z.string(),
    status: z.enum(affiliateStatuses),
    tracking_id: z.string(),
  })
  .meta({ id: 'SignUpResult' });

export function affiliateRoutes(app: App, ctx: Ctx): void {
  // POST /api/v1/affiliates — sign up as an affiliate (public)
  app.post(
    '/api/v1/affiliates',
    {
      schema: {
        summary: 'Sign up as an affiliate',
        description:
          'Creates the account with its `default` tracking id. It is approved at once when the program auto-approves, otherwise it waits for review.',
        tags: ['affiliates'],
        body: signUpBody,
        response: { 201: signUpResponse, ...errorResponses(400, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const created = await signUp(ctx, request.body);
      return reply.code(201).send({
        id: created.id,
        email: created.email,
        status: created.status,
        tracking_id: created.trackingId,
      });
    },
  );
}
