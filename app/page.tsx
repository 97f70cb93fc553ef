import { redirect } from 'next/navigation'

// The home of the app is the list of the user's services (which sends signed-out visitors to login).
export default function Home() {
  redirect('/services')
}
