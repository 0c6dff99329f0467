import { chatMethods } from './chat.js';
import { conversationMethods } from './conversations.js';
import { fileMethods } from './files.js';
import { peopleMethods } from './people.js';
import { viewMethods } from './views.js';
import type { WebApiMethod } from './method-kit.js';

/** Every Web API method the fake answers; anything else is `unknown_method`, as on Slack. */
export const webApiMethods: Record<string, WebApiMethod> = {
  ...peopleMethods,
  ...chatMethods,
  ...conversationMethods,
  ...viewMethods,
  ...fileMethods,
};

export type { MethodContext, MethodResult, WebApiMethod } from './method-kit.js';
