import type { Container } from 'inversify';
import type { AddGroupMember } from '../../core/use-cases/AddGroupMember.js';
import type { AuthenticateToken } from '../../core/use-cases/AuthenticateToken.js';
import type { AuthenticateUser } from '../../core/use-cases/AuthenticateUser.js';
import type { BlockUser } from '../../core/use-cases/BlockUser.js';
import type { CheckMessages } from '../../core/use-cases/CheckMessages.js';
import type { CreateGroup } from '../../core/use-cases/CreateGroup.js';
import type { GetGroup } from '../../core/use-cases/GetGroup.js';
import type { ListGroups } from '../../core/use-cases/ListGroups.js';
import type { Login } from '../../core/use-cases/Login.js';
import type { RegisterUser } from '../../core/use-cases/RegisterUser.js';
import type { RemoveGroupMember } from '../../core/use-cases/RemoveGroupMember.js';
import type { SendGroupMessage } from '../../core/use-cases/SendGroupMessage.js';
import type { SendMessage } from '../../core/use-cases/SendMessage.js';
import type { UnblockUser } from '../../core/use-cases/UnblockUser.js';
import { TYPES } from './TYPES.js';

/** The use cases the routes call, resolved from the container once. */
export interface UseCases {
  registerUser: RegisterUser;
  authenticateUser: AuthenticateUser;
  authenticateToken: AuthenticateToken;
  login: Login;
  sendMessage: SendMessage;
  checkMessages: CheckMessages;
  blockUser: BlockUser;
  unblockUser: UnblockUser;
  createGroup: CreateGroup;
  addGroupMember: AddGroupMember;
  removeGroupMember: RemoveGroupMember;
  sendGroupMessage: SendGroupMessage;
  getGroup: GetGroup;
  listGroups: ListGroups;
}

export function resolveUseCases(container: Container): UseCases {
  return {
    registerUser: container.get(TYPES.RegisterUser),
    authenticateUser: container.get(TYPES.AuthenticateUser),
    authenticateToken: container.get(TYPES.AuthenticateToken),
    login: container.get(TYPES.Login),
    sendMessage: container.get(TYPES.SendMessage),
    checkMessages: container.get(TYPES.CheckMessages),
    blockUser: container.get(TYPES.BlockUser),
    unblockUser: container.get(TYPES.UnblockUser),
    createGroup: container.get(TYPES.CreateGroup),
    addGroupMember: container.get(TYPES.AddGroupMember),
    removeGroupMember: container.get(TYPES.RemoveGroupMember),
    sendGroupMessage: container.get(TYPES.SendGroupMessage),
    getGroup: container.get(TYPES.GetGroup),
    listGroups: container.get(TYPES.ListGroups),
  };
}
