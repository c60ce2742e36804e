import bcrypt from 'bcryptjs';
import { config } from '../utils/config';

async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, config.auth.bcryptRounds);
}

async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

export { hashPassword, verifyPassword };
